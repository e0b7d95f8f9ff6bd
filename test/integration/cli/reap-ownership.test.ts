import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { skipWithoutNats } from '../nats-available.ts'
import { args, node } from './cli-run.ts'

/**
 * Whether a run is alive is decided from something every netsim process sees (its run lock, an
 * abstract unix socket), not from the reaper's own $TMPDIR (docs/development.md, "Cleanup"):
 * two live runs under different TMPDIRs, a `netsim reap` under a third and a run starting under
 * a fourth (every start reaps) must leave both alone. On the netns backend a reaper that took
 * them for orphans would delete their namespaces mid-run; they must pass.
 */
const netns = typeof process.getuid === 'function' && process.getuid() === 0 && spawnSync('ip', ['netns', 'list']).status === 0
const backend = netns ? 'netns' : 'process'

const SCENARIO = `
description: long enough for a reaper to strike while it runs
groups:
  - name: compute
    count: 4
timeline:
  - wait_for: discovered
    timeout: 30s
  - wait: 6s
  - fault: kill
    target: busiest
  - wait_for: recovered
    timeout: 30s
assertions:
  - { metric: reconnect_ms, stat: missing, equals: 0 }
`

const SHORT = 'groups:\n  - name: compute\n    count: 1\ntimeline:\n  - wait_for: registered\n    timeout: 30s\n'

t.test(`two live runs under different TMPDIRs survive reapers under others (${backend} backend)`, skipWithoutNats(), async (t) => {
  const dir = t.testdir({ 's.yaml': SCENARIO, 'short.yaml': SHORT, a: {}, b: {}, c: {}, d: {} })
  const envFor = (tmp: string) => ({ ...process.env, TMPDIR: join(dir, tmp), NETSIM_RUNS_DIR: join(dir, tmp, 'netsim-runs') })
  const start = (tmp: string) => {
    const child = spawn(node, args('scenario', join(dir, 's.yaml'), '--backend', backend, '--out', join(dir, tmp, 'reports')), {
      env: envFor(tmp),
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    t.teardown(() => child.kill('SIGKILL'))
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.resume()
    const up = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', () => /discovered: \d+\/\d+ nodes/.test(stderr) && resolve())
      child.once('exit', () => reject(new Error(`run under ${tmp} ended early:\n${stderr}`)))
    })
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
    return { up, exited, stderr: () => stderr }
  }
  const a = start('a')
  const b = start('b')
  await Promise.all([a.up, b.up])
  // a reaper under a third TMPDIR, while both run
  const reap = spawnSync(node, args('reap'), { env: envFor('c'), encoding: 'utf8' })
  t.equal(reap.status, 0)
  t.equal(reap.stdout.trim(), 'nothing to reap', 'neither live run is taken for an orphan')
  // and a short run starting under a fourth (every start reaps killed runs first)
  const c = spawnSync(node, args('scenario', join(dir, 'short.yaml'), '--backend', backend, '--out', join(dir, 'd', 'reports')), {
    env: envFor('d'),
    encoding: 'utf8',
  })
  t.equal(c.status, 0, 'the short run passed')
  t.notMatch(c.stderr, /reaped/, 'and reaped nothing')
  t.equal(await a.exited, 0, `run under TMPDIR a passed:\n${a.stderr().split('\n').slice(-4).join('\n')}`)
  t.equal(await b.exited, 0, `run under TMPDIR b passed:\n${b.stderr().split('\n').slice(-4).join('\n')}`)
})
