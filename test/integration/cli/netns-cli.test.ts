import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { processesOfRun } from '../../../sim/run/run-dir.ts'
import { namespacesOfRun, skipWithoutNetns } from '../netns-available.ts'

/**
 * The netns backend from the command line: its namespaces go away on Ctrl-C mid-run, and after
 * `kill -9` of the harness `netsim reap` removes them (and what still ran inside).
 */
const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname
const node = process.execPath
const args = (...a: string[]) => ['--disable-warning=ExperimentalWarning', cli, ...a]
const skip = await skipWithoutNetns()

/** Starts a netns run and resolves with its id once the fleet is up. */
const startRun = (t: { teardown: (fn: () => void) => void }, out: string) => {
  const child = spawn(node, args('scenario', 'failover', '--backend', 'netns', '--nodes', '20', '--out', out), { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  const runId = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      const id = /run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(stderr)?.[1]
      if (id && /fleet: \d+ nodes registered/.test(stderr)) resolve(id)
    })
    child.once('exit', () => reject(new Error(`exited early:\n${stderr}`)))
  })
  t.teardown(() => child.kill('SIGKILL'))
  return { child, runId, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) }
}

t.test('netns, Ctrl-C mid-run: no namespace and no process of the run is left', skip, async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  t.equal(namespacesOfRun(id).length, 5, '3 orchestrators, 1 group, the bridge')
  run.child.kill('SIGINT')
  t.equal(await run.exited, 130)
  t.same(namespacesOfRun(id), [], 'no namespace of the run in `ip netns list`')
  t.same(processesOfRun(id), [], 'no process of the run')
  t.notOk(existsSync(join(out, 'failover', id)), 'no report for an interrupted run')
})

t.test('netns, kill -9 of the harness: `netsim reap` removes the namespaces and what runs in them', skip, async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  run.child.kill('SIGKILL')
  await run.exited
  t.equal(namespacesOfRun(id).length, 5, 'namespaces outlive a killed harness')
  t.ok(processesOfRun(id).length >= 3, 'and so do the processes inside')
  const r = spawnSync(node, args('reap'), { encoding: 'utf8' })
  t.equal(r.status, 0)
  // Another test file's run may have reaped it first (every run starts by reaping killed
  // runs, with the same code): the end state is the test.
  if (r.stdout.includes(`reaped ${id}`)) t.match(r.stdout, new RegExp(`reaped ${id}: \\d+ process\\(es\\).*, 5 namespace\\(s\\)`), r.stdout)
  else t.comment(`${id} was reaped by a concurrent run's start before \`netsim reap\` got to it`)
  t.same(namespacesOfRun(id), [], 'reaped: nothing in `ip netns list`')
  t.same(processesOfRun(id), [], 'reaped: no process')
})
