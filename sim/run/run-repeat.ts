import { join } from 'node:path'
import { nodesPerGroup, type RunPlan } from '../plan/run-plan.ts'
import { summarize, type SummaryRow } from '../metrics/index.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { samplesCsv, summaryCsv } from '../report/format/csv.ts'
import { ConsoleReporter } from '../report/console.ts'
import { updateReportsIndex } from '../report/index/index.ts'
import { runScenario, type RunResult } from './run-scenario.ts'
import { newRunId } from '../platform/run-dir.ts'

export interface RepeatResult {
  runs: RunResult[]
  /** every run's values pooled */
  pooled: SummaryRow[]
  reportDir: string
  passed: boolean
}

/**
 * `--repeat N`: the same plan N times, each with fresh orchestrators and the seed `seed + k`,
 * each written as a normal report; then one folder `<scenario>/<id>-x<N>/` with the samples of
 * every run (run_id tells them apart), a summary over all of them, and runs.json listing the
 * runs with their seeds and verdicts. A single run's p99 on a shared machine is noise; N runs
 * pooled, and per-run summaries beside each other, say how much.
 */
export const runRepeated = async (
  plan: RunPlan,
  times: number,
  opts: { signal?: AbortSignal; console?: ConsoleReporter; quiet?: boolean } = {},
): Promise<RepeatResult> => {
  const runs: RunResult[] = []
  for (let k = 0; k < times; k++) {
    opts.console?.line(`repeat ${k + 1}/${times} (seed ${plan.seed + k})`)
    runs.push(await runScenario({ ...plan, seed: plan.seed + k }, { quiet: opts.quiet ?? false, ...(opts.signal ? { signal: opts.signal } : {}) }))
  }
  const values = runs.flatMap((r) => r.values)
  const pooled = summarize(
    values,
    plan.groups.map((g) => g.name),
  )
  const id = `${newRunId()}-x${times}`
  const dir = new AtomicDir(join(plan.reportsDir, plan.scenario.name, id))
  dir.write(
    'samples.csv',
    runs
      .map((r, k) =>
        samplesCsv(r.runId, plan.scenario.name, r.values)
          .split('\n')
          .slice(k === 0 ? 0 : 1)
          .join('\n'),
      )
      .join(''),
  )
  dir.write(
    'summary.csv',
    summaryCsv(
      {
        scenario: plan.scenario.name,
        transport: plan.transport,
        profile: plan.profile,
        backend: plan.backend,
        orchestrators: plan.orchestrators.count,
        nodes: nodesPerGroup(plan),
      },
      pooled,
    ),
  )
  const runsJson = runs.map((r) => ({
    run_id: r.runId,
    seed: r.plan.seed,
    passed: r.passed,
    report: r.reportDir,
    failed: r.assertions.filter((a) => !a.ok).map((a) => a.text),
    timeouts: r.timeouts,
  }))
  dir.write('runs.json', JSON.stringify({ scenario: plan.scenario.name, repeat: times, base_seed: plan.seed, runs: runsJson }, null, 2) + '\n')
  const reportDir = dir.commit()
  await updateReportsIndex(plan.reportsDir, (l) => opts.console?.line(l))
  return { runs, pooled, reportDir, passed: runs.every((r) => r.passed) }
}
