import t from 'tap'
import { spawnSync } from 'node:child_process'

const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname
const args = (...a: string[]) => ['--disable-warning=ExperimentalWarning', cli, ...a]

t.test('--network libp2p with a link fault fails at plan time, naming the step, exit 65', async (t) => {
  const r = spawnSync(process.execPath, args('scenario', 'partition', '--network', 'libp2p', '--profile', 'v1.3.1'), { encoding: 'utf8' })
  t.equal(r.status, 65)
  t.match(
    r.stderr,
    /E_CONFIG: scenarios\/partition\.yaml:\d+:\d+: timeline\[\d+\]: a blackhole fault .* over libp2p \(--network libp2p\) cannot: .*libp2p mode has no link layer/,
  )
  t.equal(r.stdout, '', 'nothing ran')
})

t.test('--network libp2p under a version without libp2p fails at once, naming the version and the way out, exit 64', async (t) => {
  const r = spawnSync(process.execPath, args('scenario', 'discovery', '--network', 'libp2p'), { encoding: 'utf8' })
  t.equal(r.status, 64)
  t.match(
    r.stderr,
    /E_USAGE: Bacalhau's libp2p transport \(--network libp2p\) exists in v1\.3\.0–v1\.3\.2 only \(removed in v1\.4\.0\), and this run's profile is v1\.5: use a profile of v1\.3\.0 or v1\.3\.1, or set libp2p_any_profile: true/,
  )
  t.equal(r.stdout, '', 'nothing ran')
})

t.test('--network takes nats or libp2p only, exit 64', async (t) => {
  const r = spawnSync(process.execPath, args('scenario', 'failover', '--network', 'quic'), { encoding: 'utf8' })
  t.equal(r.status, 64)
  t.match(r.stderr, /network/)
})

t.test('libp2p-fallback is listed', async (t) => {
  const r = spawnSync(process.execPath, args('scenario', '--list'), { encoding: 'utf8' })
  t.match(r.stdout, /^libp2p-fallback\s+NATS vs libp2p/m)
})
