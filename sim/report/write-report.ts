import type { RunPlan } from '../config/run-plan.ts'
import type { SimEvent } from '../core/events.ts'
import { jobCounts, jobRecords, type MetricValue, type SummaryRow } from '../metrics/index.ts'
import type { AssertionResult } from '../run/assertions.ts'
import type { LagWindow } from '../platform/lag-monitor.ts'
import { hostInfo, versions } from './versions.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { errorsCsv, eventsCsv, jobsCsv, samplesCsv, summaryCsv } from './format/csv.ts'
import { renderRunHtml } from './html/run-html.ts'

export interface RunReportInput {
  dir: string
  runId: string
  plan: RunPlan
  events: SimEvent[]
  values: MetricValue[]
  summary: SummaryRow[]
  assertions: AssertionResult[]
  timeouts: string[]
  /** wait_for timeouts a scenario marked `on_timeout: note` */
  notes?: string[]
  passed: boolean
  startedIso: string
  durationMs: number
  lag: LagWindow[]
  /** nats-server, for its version; null in a libp2p run on a host without one */
  binary: string | null
}

/**
 * `reports/<scenario>/<run-id>/`: events.csv, samples.csv, summary.csv and run.json, written
 * into a hidden folder and renamed into place. The plan holds no secret (the token never
 * enters it), so run.json records it whole.
 */
export const writeRunReport = async (r: RunReportInput): Promise<string> => {
  const dir = new AtomicDir(r.dir)
  try {
    const nodes: Record<string, number> = { all: 0 }
    for (const g of r.plan.groups) {
      nodes[g.name] = g.count
      nodes.all = (nodes.all as number) + g.count
    }
    dir.write('events.csv', eventsCsv(r.events))
    dir.write('errors.csv', errorsCsv(r.runId, r.plan.scenario.name, r.events))
    dir.write('samples.csv', samplesCsv(r.runId, r.plan.scenario.name, r.values))
    dir.write(
      'summary.csv',
      summaryCsv(
        {
          scenario: r.plan.scenario.name,
          transport: r.plan.transport,
          profile: r.plan.profile,
          backend: r.plan.backend,
          orchestrators: r.plan.orchestrators.count,
          nodes,
        },
        r.summary,
      ),
    )
    // jobs.csv only for runs with a job workload: the plain timing runs' folders stay as they were.
    const jobs = jobRecords(r.events)
    if (jobs.length > 0) dir.write('jobs.csv', jobsCsv(r.runId, r.plan.scenario.name, jobs))
    const faults = r.events
      .filter((e) => e.kind === 'fault.apply' || e.kind === 'fault.heal')
      .map((e) => ({ t_ms: e.t, kind: e.kind, target: e.orch, ...e.data }))
    const runJson = {
      run_id: r.runId,
      scenario: r.plan.scenario.name,
      passed: r.passed,
      started_at: r.startedIso,
      duration_ms: Math.round(r.durationMs),
      seed: r.plan.seed,
      config: r.plan,
      fault_schedule: faults,
      assertions: r.assertions,
      timeouts: r.timeouts,
      ...(r.notes !== undefined && r.notes.length > 0 ? { notes: r.notes } : {}),
      harness: { event_loop: r.lag },
      versions: versions(r.binary, r.plan.transport),
      host: hostInfo(),
      counts: { events: r.events.length, samples: r.values.filter((v) => v.value_ms !== null).length },
      ...(jobs.length > 0 ? { jobs: jobCounts(jobs) } : {}),
    }
    dir.write('run.json', JSON.stringify(runJson, null, 2) + '\n')
    // The HTML is rendered from the files just written, before the folder appears.
    dir.write('report.html', await renderRunHtml(dir.partial))
    return dir.commit()
  } catch (err) {
    dir.abandon()
    throw err
  }
}
