import { jobCounts, jobRecords } from '../metrics/index.ts'
import { nodesPerGroup } from '../plan/run-plan.ts'
import type { AtomicDir } from '../platform/atomic-dir.ts'
import { errorsCsv, eventsCsv, jobsCsv, samplesCsv, summaryCsv } from './format/csv.ts'
import type { Reporter, RunReport } from './reporter.ts'
import { hostInfo, versions } from './versions.ts'

/**
 * The report's files (docs/reports.md): events.csv, errors.csv, samples.csv, summary.csv,
 * jobs.csv (runs with a job workload) and run.json. The plan holds no secret (the token is a
 * Secret, written as ***), so run.json records it whole.
 */
export const runJson = (r: RunReport) => {
  const jobs = jobRecords(r.events)
  const faults = r.events
    .filter((e) => e.kind === 'fault.apply' || e.kind === 'fault.heal')
    .map((e) => ({ t_ms: e.t, kind: e.kind, target: e.orch, ...e.data }))
  return {
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
    ...(r.notes.length > 0 ? { notes: r.notes } : {}),
    harness: { event_loop: r.lag },
    versions: { ...versions(r.binary, r.plan.transport), ...(r.clientVersions ?? {}) },
    host: hostInfo(),
    counts: { events: r.events.length, samples: r.values.filter((v) => v.value_ms !== null).length },
    ...(jobs.length > 0 ? { jobs: jobCounts(jobs) } : {}),
  }
}

export class FilesReporter implements Reporter {
  onRunEnd(r: RunReport, dir: AtomicDir): void {
    const scenario = r.plan.scenario.name
    const { transport, profile, backend } = r.plan
    dir.write('events.csv', eventsCsv(r.events))
    dir.write('errors.csv', errorsCsv(r.runId, scenario, r.events))
    dir.write('samples.csv', samplesCsv(r.runId, scenario, r.values))
    dir.write(
      'summary.csv',
      summaryCsv({ scenario, transport, profile, backend, orchestrators: r.plan.orchestrators.count, nodes: nodesPerGroup(r.plan) }, r.summary),
    )
    // jobs.csv only for runs with a job workload: the plain timing runs' folders stay as they were.
    const jobs = jobRecords(r.events)
    if (jobs.length > 0) dir.write('jobs.csv', jobsCsv(r.runId, scenario, jobs))
    dir.write('run.json', JSON.stringify(runJson(r), null, 2) + '\n')
  }
}
