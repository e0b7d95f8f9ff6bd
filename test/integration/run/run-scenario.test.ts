import t from 'tap'
import { readFileSync, existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { EVENTS_COLUMNS, SAMPLES_COLUMNS, SUMMARY_COLUMNS } from '../../../sim/report/format/csv.ts'
import { skipWithoutNats } from '../nats-available.ts'

t.test('failover through the API: metrics, assertions, report files, nothing left running', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const plan = resolvePlan({ scenario: 'failover', nodes: 30, seed: 42, time_scale: 0.05, reports_dir: out, configFile: null, workers: 2 })
  const r = await runScenario(plan, { quiet: true })
  t.equal(
    r.passed,
    true,
    `assertions hold: ${r.assertions
      .filter((a) => !a.ok)
      .map((a) => `${a.text} = ${a.actual}`)
      .join('; ')}`,
  )
  const row = (metric: string) => r.summary.find((s) => s.group === 'all' && s.metric === metric)
  const reconnect = row('reconnect_ms')
  t.ok(reconnect && reconnect.count >= 1 && reconnect.missing === 0, 'every node of the killed orchestrator reconnected')
  t.equal(row('connect_ms')?.count, 30)
  t.same(processesOfRun(r.runId), [], 'no process of the run is left')

  t.equal(r.reportDir, join(out, 'failover', r.runId))
  t.same(readdirSync(r.reportDir).sort(), ['errors.csv', 'events.csv', 'report.html', 'run.json', 'samples.csv', 'summary.csv'])
  const header = (f: string) => readFileSync(join(r.reportDir, f), 'utf8').split('\n')[0]
  t.equal(header('events.csv'), EVENTS_COLUMNS.join(','))
  t.equal(header('samples.csv'), SAMPLES_COLUMNS.join(','))
  t.equal(header('summary.csv'), SUMMARY_COLUMNS.join(','))
  const summary = readFileSync(join(r.reportDir, 'summary.csv'), 'utf8')
  t.match(
    summary,
    /^failover,nats,v1\.5,process,all,30,3,reconnect_ms,/m,
    'summary rows carry scenario, transport, profile, backend, group, nodes, orchestrators',
  )
  const run = JSON.parse(readFileSync(join(r.reportDir, 'run.json'), 'utf8'))
  t.equal(run.seed, 42)
  t.equal(run.config.timers.heartbeat_interval, 750, 'resolved (scaled) timers are recorded')
  t.ok(run.versions.nats_server && run.versions.node && run.versions.netsim)
  t.ok(
    run.harness.event_loop.some((w: { window: string }) => w.window === 'recovered'),
    'harness lag per measured window',
  )
  t.strictSame(
    readdirSync(join(out, 'failover')).filter((f) => f.endsWith('.partial')),
    [],
    'no partial folder left',
  )
})
