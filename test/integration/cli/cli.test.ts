import t from 'tap'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { skipWithoutNats } from '../nats-available.ts'
import { args, node, startRun as startFailover } from './cli-run.ts'

t.test('an unknown scenario lists the available ones, exit 64', async (t) => {
  const r = spawnSync(node, args('scenario', 'no-such-thing'), { encoding: 'utf8' })
  t.equal(r.status, 64)
  t.match(r.stderr, /E_SCENARIO_NOT_FOUND: unknown scenario "no-such-thing". Available: .*discovery.*failover/)
})

t.test('an invalid scenario file names the file, line and field, exit 65', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'bad.yaml')
  writeFileSync(file, 'groups:\n  - name: a\n    count: 10\n    colour: blue\n')
  const r = spawnSync(node, args('scenario', file), { encoding: 'utf8' })
  t.equal(r.status, 65)
  t.match(r.stderr, /bad\.yaml:4:5: groups\[0\]\.colour: Unrecognized key: "colour"/)
})

t.test('--list prints the scenarios', async (t) => {
  const r = spawnSync(node, args('scenario', '--list'), { encoding: 'utf8' })
  t.equal(r.status, 0)
  t.match(r.stdout, /^failover\s+Kill the orchestrator/m)
})

const startRun = (t: { teardown: (fn: () => void) => void }, out: string) => startFailover(t, out, ['--nodes', '40'])

t.test('Ctrl-C mid-run: every process of the run is gone, no report is written', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  t.ok(processesOfRun(id).length >= 5, 'servers, control planes and workers are running')
  run.child.kill('SIGINT')
  t.equal(await run.exited, 130)
  t.same(processesOfRun(id), [], 'nothing of the run is left')
  t.notOk(existsSync(join(out, 'failover', id)), 'no report for an interrupted run')
})

t.test('kill -9 of the harness: `netsim reap` removes what it left', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const run = startRun(t, out)
  const id = await run.runId
  run.child.kill('SIGKILL')
  await run.exited
  t.ok(processesOfRun(id).length >= 3, 'nats-servers outlive a killed harness')
  const r = spawnSync(node, args('reap'), { encoding: 'utf8' })
  t.equal(r.status, 0)
  // tap runs test files in parallel, and every run starts by reaping killed runs: another
  // file's run may have reaped this one first, with the same code. The end state is the test.
  if (r.stdout.includes(`reaped ${id}`)) t.pass(`netsim reap reaped ${id}`)
  else t.comment(`${id} was reaped by a concurrent run's start before \`netsim reap\` got to it`)
  t.same(processesOfRun(id), [], 'reaped')
})

t.test('a missing nats-server: exit 69 saying how to install it, and no run directory left', async (t) => {
  const runs = t.testdir()
  const r = spawnSync(node, args('scenario', 'failover', '--nodes', '3', '--out', t.testdir()), {
    encoding: 'utf8',
    env: { ...process.env, NATS_SERVER_BIN: '/nope', NETSIM_RUNS_DIR: runs },
  })
  t.equal(r.status, 69)
  t.match(r.stderr, /E_NATS_SERVER_MISSING: NATS_SERVER_BIN=\/nope is not an executable file\. Install it with `npm run setup`/)
  t.strictSame(readdirSync(runs), [], 'the binary is checked before the run directory is made')
})
