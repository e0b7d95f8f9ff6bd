import t from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { processesOfRun } from '../../../sim/run/run-dir.ts'
import { skipWithoutNats } from '../nats-available.ts'

const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname
const node = process.execPath
const args = (...a: string[]) => ['--disable-warning=ExperimentalWarning', cli, ...a]

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

/** Starts a run and resolves with its id once the fleet is up. */
const startRun = (t: { teardown: (fn: () => void) => void }, out: string) => {
  const child = spawn(node, args('scenario', 'failover', '--nodes', '40', '--out', out), { stdio: ['ignore', 'pipe', 'pipe'] })
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
