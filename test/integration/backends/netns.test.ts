import t from 'tap'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { NetnsBackend, type NetnsHosts } from '../../../sim/backends/netns/netns-backend.ts'
import { netnsAvailable } from '../../../sim/backends/netns/netns-available.ts'
import { reapNamespaces } from '../../../sim/backends/netns/reap-namespaces.ts'
import { createRunDir, newRunId, runsBaseDir } from '../../../sim/platform/run-dir.ts'
import { natsServerBin } from '../nats-available.ts'

/**
 * The netns backend against the real kernel: 2 orchestrator namespaces each running a real
 * nats-server on its 127.200.x.y address (started through `wrapCommand`), 1 group namespace
 * whose probe (tcp-probe.ts, run inside it) keeps NATS connections open, and the three cuts.
 * Needs root, iproute2, nftables and nats-server; skips with the reason otherwise.
 */
const avail = await netnsAvailable()
const nats = natsServerBin()
const skip = !avail.ok
  ? { skip: `netns backend unavailable: ${avail.reason} (${avail.hint})` }
  : nats === null
    ? { skip: 'nats-server not found (run `npm run setup` or set NATS_SERVER_BIN)' }
    : {}

const PROBE = fileURLToPath(new URL('./tcp-probe.ts', import.meta.url))
const PORT = 4222

const ipNetnsList = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })

/** The probe inside the group's namespace: one JSON command per line, one JSON answer per line. */
const startProbe = (hosts: NetnsHosts, group: string) => {
  const argv = hosts.wrapCommand(group, [process.execPath, '--disable-warning=ExperimentalWarning', PROBE])
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] })
  const answers: ((line: string) => void)[] = []
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => answers.shift()?.(l))
  type Answer = { ok: boolean; ms: number; error?: string }
  const ask = (cmd: object): Promise<Answer> =>
    new Promise((resolve) => {
      answers.push((l) => resolve(JSON.parse(l) as Answer))
      child.stdin?.write(JSON.stringify(cmd) + '\n')
    })
  return {
    child,
    connect: (id: string, orch: string, timeoutMs = 1_500) => ask({ op: 'connect', id, host: hosts.addressOf(orch), port: PORT, timeoutMs }),
    connectTo: (id: string, host: string, port: number, timeoutMs: number) => ask({ op: 'connect', id, host, port, timeoutMs }),
    ping: (id: string, timeoutMs = 1_500) => ask({ op: 'ping', id, timeoutMs }),
  }
}

/** Established TCP connections seen from inside `host`'s namespace to or from `peer`. */
const establishedBetween = (hosts: NetnsHosts, host: string, peer: string): number => {
  const argv = hosts.wrapCommand(host, ['ss', '-Htn', 'state', 'established', 'dst', hosts.addressOf(peer)])
  return execFileSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.trim() !== '').length
}

/** nats-server inside the orchestrator's namespace, listening on its address; ready when its ports file is written. */
const startNats = async (hosts: NetnsHosts, orch: string, dir: string): Promise<ChildProcess> => {
  const portsDir = join(dir, `${orch}.ports.d`)
  const conf = join(dir, `${orch}.conf`)
  writeFileSync(conf, [`server_name: "${orch}"`, `host: "${hosts.addressOf(orch)}"`, `port: ${PORT}`, `ports_file_dir: "${portsDir}"`, ''].join('\n'))
  execFileSync('mkdir', ['-p', portsDir])
  const log = openSync(join(dir, `${orch}.log`), 'a')
  const argv = hosts.wrapCommand(orch, [nats as string, '-c', conf])
  const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['ignore', log, log] })
  closeSync(log)
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server in ${orch} exited: ${readFileSync(join(dir, `${orch}.log`), 'utf8')}`)
    const files = execFileSync('ls', [portsDir], { encoding: 'utf8' }).trim()
    if (files !== '' && readFileSync(join(portsDir, files.split('\n')[0] as string), 'utf8').includes(String(PORT))) return child
    await new Promise((r) => setTimeout(r, 20))
  }
  throw new Error(`nats-server in ${orch} not ready in 10 s`)
}

t.test('netns topology: real nats-servers, a group probe, blackhole / reset / down, dispose', skip, async (t) => {
  const runId = newRunId()
  createRunDir(runId) // a live owner: a concurrent `netsim reap` leaves this run alone
  t.teardown(() => rmSync(join(runsBaseDir(), runId), { recursive: true, force: true }))
  const dir = t.testdir()

  const t0 = performance.now()
  const hosts = await new NetnsBackend().prepare({ runId, orchestrators: ['orch-0', 'orch-1'], groups: ['group-a'] })
  t.comment(`prepared 4 namespaces in ${Math.round(performance.now() - t0)} ms`)
  t.teardown(() => hosts.dispose()) // idempotent; runs even when an assertion below throws

  t.equal(hosts.addressOf('orch-0'), '127.200.0.1')
  t.equal(hosts.addressOf('group-a'), '127.200.0.3')
  t.match(ipNetnsList(), new RegExp(`netsim-${runId}-o0`), 'namespaces exist while the run lives')
  t.notMatch(execFileSync('ip', ['-br', 'link'], { encoding: 'utf8' }), /\bv[og]\d+\b|\bbr0\b/, 'no veth or bridge in the root namespace')

  const servers = [await startNats(hosts, 'orch-0', dir), await startNats(hosts, 'orch-1', dir)]
  const probe = startProbe(hosts, 'group-a')
  t.teardown(() => {
    probe.child.kill('SIGKILL')
    for (const s of servers) s.kill('SIGKILL')
  })

  t.test('baseline: the group reaches both orchestrators; nothing else is reachable', async (t) => {
    t.match(await probe.connect('a', 'orch-0'), { ok: true })
    t.match(await probe.ping('a'), { ok: true })
    t.match(await probe.connect('b', 'orch-1'), { ok: true })
    t.equal(establishedBetween(hosts, 'orch-0', 'group-a'), 1, 'orch-0 sees the connection')
    // The root namespace's loopback is out of reach from inside (no route: ENETUNREACH).
    const r2 = await probe.connectTo('x', '127.0.0.2', PORT, 500)
    t.match(r2, { ok: false, error: 'ENETUNREACH' }, `127.0.0.2 (the root namespace's loopback) is not reachable: ${r2.error}`)
  })

  t.test('blackhole: silent both ways, only that link; heal resumes the same connection', async (t) => {
    await hosts.cut('group-a', 'orch-0', 'blackhole')
    t.same(hosts.cuts(), [['group-a', 'orch-0', 'blackhole']])
    const ping = await probe.ping('a', 1_000)
    t.match(ping, { ok: false, error: 'timeout' }, 'an open connection hears nothing, and no error either')
    const fresh = await probe.connect('c', 'orch-0', 1_000)
    t.match(fresh, { ok: false, error: 'timeout' }, 'a new connection times out (no refusal)')
    t.equal(establishedBetween(hosts, 'orch-0', 'group-a'), 1, 'orch-0 still believes in the connection')
    t.match(await probe.ping('b'), { ok: true }, 'the link to orch-1 is untouched')

    await hosts.heal('group-a', 'orch-0')
    t.same(hosts.cuts(), [])
    const resumed = await probe.ping('a', 5_000)
    t.match(resumed, { ok: true }, `the held connection resumes after heal, PONGs for the lost PING and the new one (${resumed.ms} ms)`)
    t.match(await probe.connect('c', 'orch-0'), { ok: true }, 'new connections work again')
  })

  t.test('reset: open connections reset at once on both ends; new ones reset after the handshake', async (t) => {
    t.match(await probe.connect('a', 'orch-0'), { ok: true })
    const before = establishedBetween(hosts, 'orch-0', 'group-a')
    t.ok(before >= 1)
    await hosts.cut('group-a', 'orch-0', 'reset')
    const ping = await probe.ping('a', 1_000)
    t.equal(ping.ok, false)
    t.ok(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'closed'].includes(ping.error ?? ''), `the open connection failed: ${ping.error} in ${ping.ms} ms`)
    t.ok(ping.ms < 500, 'at once')
    t.equal(establishedBetween(hosts, 'orch-0', 'group-a'), 0, 'orch-0 got the reset too')
    const fresh = await probe.connect('c', 'orch-0', 1_000)
    t.equal(fresh.ok, false)
    t.ok(['ECONNRESET', 'closed'].includes(fresh.error ?? ''), `a new connection is reset: ${fresh.error} in ${fresh.ms} ms`)
    t.ok(fresh.ms < 500, 'quickly, not by timeout')
    t.match(await probe.connect('b', 'orch-1'), { ok: true }, 'orch-1 unaffected')
    await hosts.heal('group-a', 'orch-0')
    t.match(await probe.connect('a', 'orch-0'), { ok: true }, 'healed')
  })

  t.test('down: open connections reset; new ones refused', async (t) => {
    t.match(await probe.ping('a'), { ok: true })
    await hosts.cut('group-a', 'orch-0', 'down')
    const ping = await probe.ping('a', 1_000)
    t.equal(ping.ok, false, `the open connection failed: ${ping.error} in ${ping.ms} ms`)
    const fresh = await probe.connect('c', 'orch-0', 1_000)
    t.match(fresh, { ok: false, error: 'ECONNREFUSED' }, `refused in ${fresh.ms} ms`)
    t.ok(fresh.ms < 500)
    // Changing the mode of a cut link replaces it.
    await hosts.cut('group-a', 'orch-0', 'blackhole')
    t.match(await probe.connect('c', 'orch-0', 800), { ok: false, error: 'timeout' }, 'down → blackhole')
    t.same(hosts.cuts(), [['group-a', 'orch-0', 'blackhole']])
    await hosts.heal('group-a', 'orch-0')
    t.match(await probe.connect('a', 'orch-0'), { ok: true }, 'healed')
  })

  t.test('dispose removes every namespace of the run and what ran inside', async (t) => {
    await hosts.dispose()
    t.notMatch(ipNetnsList(), new RegExp(runId), 'ip netns list shows nothing of the run')
    await new Promise((r) => setTimeout(r, 100))
    for (const s of servers) t.ok(s.exitCode !== null || s.signalCode !== null, 'nats-server inside was killed')
    await hosts.dispose() // twice is fine
  })
})

t.test('reapNamespaces: removes an orphaned run, leaves a live one', skip, async (t) => {
  const live = newRunId()
  createRunDir(live)
  t.teardown(() => rmSync(join(runsBaseDir(), live), { recursive: true, force: true }))
  const orphan = newRunId().replace(/-[0-9a-f]{6}$/, '-0bad00') // no run dir: its owner is gone
  const backend = new NetnsBackend()
  const a = await backend.prepare({ runId: live, orchestrators: ['o'], groups: ['g'] })
  t.teardown(() => a.dispose())
  const b = await backend.prepare({ runId: orphan, orchestrators: ['o'], groups: ['g'] })
  t.teardown(() => b.dispose())
  // Something still running inside a namespace must not keep it alive.
  const sleeper = spawn(...((argv) => [argv[0] as string, argv.slice(1)] as const)(b.wrapCommand('g', ['sleep', '60'])), { stdio: 'ignore' })
  t.teardown(() => sleeper.kill('SIGKILL'))
  await new Promise((r) => setTimeout(r, 100))

  const reaped = await reapNamespaces({ isOrphan: (id) => (id === orphan || id === live ? id === orphan : false) })
  t.same(
    reaped.map((r) => r.runId),
    [orphan],
  )
  t.equal(reaped[0]?.namespaces.length, 3)
  t.same(reaped[0]?.namespaces.at(-1), `netsim-${orphan}-br`, 'the bridge namespace goes last')
  t.ok(reaped[0]?.killed.includes(sleeper.pid as number), 'the process inside was killed (with the run observer of the bridge namespace)')
  t.notMatch(ipNetnsList(), new RegExp(orphan))
  t.match(ipNetnsList(), new RegExp(live), 'the live run is left alone')

  // The default test (owner record in the run dir) also spares the live run.
  await reapNamespaces()
  t.match(ipNetnsList(), new RegExp(live), 'a run whose owner lives is spared by default')
  t.same(
    (await reapNamespaces({ runId: live })).map((r) => r.runId),
    [live],
    'named explicitly, it is reaped',
  )
  t.notMatch(ipNetnsList(), new RegExp(live))
})
