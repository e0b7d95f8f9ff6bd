import t from 'tap'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { containersOfRun, skipWithoutDocker } from '../docker-available.ts'
import { args, node, startRun as startFailover } from './cli-run.ts'

/**
 * The docker backend from the command line: its containers, network holders and bridge
 * namespace go away on Ctrl-C mid-run, and after `kill -9` of the harness `netsim reap` removes
 * them (liveness from the run lock, containers by label).
 */
const skip = await skipWithoutDocker()

const startRun = (t: { teardown: (fn: () => void) => void }, out: string) => startFailover(t, out, ['--backend', 'docker', '--nodes', '20'])
const namespacesOfRun = (runId: string): string[] =>
  execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(runId))

t.test('docker, Ctrl-C mid-run: no container, namespace or process of the run is left', skip, async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  t.equal((await containersOfRun(id)).length, 8, '3 orchestrators and 1 group, each a container and its network holder')
  run.child.kill('SIGINT')
  t.equal(await run.exited, 130)
  t.same(await containersOfRun(id), [], 'no container of the run')
  t.same(namespacesOfRun(id), [], 'no namespace of the run')
  t.same(processesOfRun(id), [], 'no process of the run')
  t.notOk(existsSync(join(out, 'failover', id)), 'no report for an interrupted run')
})

t.test('docker, kill -9 of the harness: `netsim reap` removes its containers and its bridge namespace', skip, async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  run.child.kill('SIGKILL')
  await run.exited
  t.ok((await containersOfRun(id)).length >= 4, 'the containers outlive a killed harness')
  t.equal(namespacesOfRun(id).length, 1, 'and so does the bridge namespace')
  const r = spawnSync(node, args('reap'), { encoding: 'utf8' })
  t.equal(r.status, 0)
  // Another test file's docker run may have reaped it first (every docker run starts by reaping
  // killed runs' containers, with the same code): the end state is the test.
  if (r.stdout.includes(`reaped ${id}`)) t.match(r.stdout, new RegExp(`reaped ${id}: .*1 namespace\\(s\\).*container\\(s\\)`), r.stdout)
  else t.comment(`${id} was reaped by a concurrent run's start before \`netsim reap\` got to it`)
  t.same(await containersOfRun(id), [], 'reaped: no container')
  t.same(namespacesOfRun(id), [], 'reaped: no namespace')
  t.same(processesOfRun(id), [], 'reaped: no process')
})
