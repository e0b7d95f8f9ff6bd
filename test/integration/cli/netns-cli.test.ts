import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { namespacesOfRun, skipWithoutNetns } from '../netns-available.ts'
import { args, node, startRun as startFailover } from './cli-run.ts'

/**
 * The netns backend from the command line: its namespaces go away on Ctrl-C mid-run, and after
 * `kill -9` of the harness `netsim reap` removes them (and what still ran inside).
 */
const skip = await skipWithoutNetns()

const startRun = (t: { teardown: (fn: () => void) => void }, out: string) => startFailover(t, out, ['--backend', 'netns', '--nodes', '20'])

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
