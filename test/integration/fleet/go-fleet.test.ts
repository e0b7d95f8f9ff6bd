import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { args, node, startRun } from '../cli/cli-run.ts'
import { skipWithoutGoref } from '../goref-available.ts'

const cmdline = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
  } catch {
    return ''
  }
}

t.test('client nats.go: the same scenario with real nats.go clients, metrics from their events', await skipWithoutGoref(), async (t) => {
  const out = t.testdir()
  const plan = resolvePlan({ scenario: 'failover', nodes: 12, seed: 3, time_scale: 0.05, reports_dir: out, configFile: null, client: 'nats.go' })
  const r = await runScenario(plan, { quiet: true })
  t.equal(r.passed, true, `assertions hold: ${r.assertions.filter((a) => !a.ok).map((a) => `${a.text} = ${a.actual}`)}`)
  const row = (metric: string) => r.summary.find((s) => s.group === 'all' && s.metric === metric)
  t.equal(row('connect_ms')?.count, 12, 'every node connected')
  t.equal(row('visible_all_ms')?.count, 12, 'every node registered and heartbeating: each orchestrator sees it')
  t.ok((row('reconnect_ms')?.count ?? 0) >= 1 && row('reconnect_ms')?.missing === 0, 'the killed orchestrator’s nodes reconnected')
  t.equal(row('resume_ms')?.missing, 0, 'and their heartbeats resumed')
  const kinds = new Set(r.events.filter((e) => e.node !== undefined && e.orch === undefined).map((e) => e.kind))
  for (const k of [
    'node.start',
    'node.connected',
    'node.pool',
    'node.registered',
    'node.disconnected',
    'node.reconnecting',
    'node.reconnected',
    'node.stopped',
  ])
    t.ok(kinds.has(k as never), `${k} recorded`)
  t.equal(r.events.filter((e) => e.kind === 'node.stopped').length, 12, 'every node stopped at the end')
  const run = JSON.parse(readFileSync(join(r.reportDir, 'run.json'), 'utf8'))
  t.equal(run.config.client, 'nats.go')
  t.equal(run.versions.nats_go, '1.22.1', 'run.json records the nats.go version')
  t.match(run.versions.go, /^go1\./)
  t.same(processesOfRun(r.runId), [], 'no process of the run is left')
})

t.test('kill -9 of the harness: the reference client carries the run id, `netsim reap` ends it', await skipWithoutGoref(), async (t) => {
  const out = t.testdir()
  const run = startRun(t, out, ['--nodes', '12', '--client', 'nats.go'])
  const id = await run.runId
  t.ok(
    processesOfRun(id).some((pid) => /goref-[0-9a-f]{16} --run /.test(cmdline(pid))),
    'the reference client runs with the run id on its command line',
  )
  run.child.kill('SIGKILL')
  await run.exited
  const r = spawnSync(node, args('reap'), { encoding: 'utf8' })
  t.equal(r.status, 0)
  // another test file's run may reap it first (every run starts by reaping): the end state is the test
  t.same(processesOfRun(id), [], 'reaped')
})

t.test('Ctrl-C mid-run: the reference client goes with the rest', await skipWithoutGoref(), async (t) => {
  const out = t.testdir()
  const run = startRun(t, out, ['--nodes', '12', '--client', 'nats.go'])
  const id = await run.runId
  run.child.kill('SIGINT')
  t.equal(await run.exited, 130)
  t.same(processesOfRun(id), [], 'nothing of the run is left')
})
