import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import type { RunPlan } from '../plan/run-plan.ts'
import { ALL_GROUP, METRIC_ORDER, type SummaryRow } from '../metrics/summary.ts'
import { bidFailures } from '../metrics/bids.ts'
import { ConsoleReporter } from '../report/console.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { SAMPLES_COLUMNS } from '../report/format/csv.ts'
import { renderRunHtml } from '../report/html/run-html.ts'
import { updateReportsIndex } from '../report/index/index.ts'
import { runScenario, type RunResult, type RunScenarioOptions } from './run-scenario.ts'
import { newRunId } from '../platform/run-dir.ts'

/**
 * One scenario run once per transport (a scenario's `transports: [nats, libp2p]`): the same
 * plan, seed and timeline, only the transport switched. Each run writes its own report folder as
 * usual; then `<reports>/<scenario>/<run-id>/` gets what sets them side by side:
 *
 * - compare.csv: `metric,group,<t>_count…,<t>_p50…,<t>_p95…,<t>_p99…,p50_ratio`, one row per
 *   (metric, group) either run has; `p50_ratio` is the second transport's p50 over the first's
 *   (libp2p over NATS for `[nats, libp2p]`), empty when either is missing or the first is 0;
 * - samples.csv: both runs' samples with a leading `transport` column;
 * - transports.json: each run's transport, run id, report folder, verdict and what failed;
 * - report.html: CDFs of every metric, one line per transport and group.
 */
export interface TransportCompareRow {
  metric: string
  group: string
  count: Record<string, number>
  p50: Record<string, number | null>
  p95: Record<string, number | null>
  p99: Record<string, number | null>
  p50Ratio: number | null
}

export interface TransportsResult {
  scenario: string
  runId: string
  reportDir: string
  runs: RunResult[]
  compare: TransportCompareRow[]
  passed: boolean
}

const rank = (m: string): number => {
  const k = METRIC_ORDER.indexOf(m)
  return k === -1 ? METRIC_ORDER.length : k
}

/** The compare table: pure, from each transport's summary, in report order (groups as given, `all` last). */
export const compareTransports = (
  runs: { transport: string; summary: readonly SummaryRow[] }[],
  groups: readonly string[] = [],
): TransportCompareRow[] => {
  const metrics = [...new Set(runs.flatMap((r) => r.summary.map((s) => s.metric)))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const groupOrder = [...new Set([...groups, ...runs.flatMap((r) => r.summary.map((s) => s.group)).filter((g) => g !== ALL_GROUP)]), ALL_GROUP]
  const [first, second] = runs
  const out: TransportCompareRow[] = []
  for (const metric of metrics) {
    for (const group of groupOrder) {
      const rows = runs.map((r) => r.summary.find((s) => s.metric === metric && s.group === group))
      if (rows.every((x) => x === undefined)) continue
      const per = (f: (s: SummaryRow) => number | null) =>
        Object.fromEntries(runs.map((r, i) => [r.transport, rows[i] === undefined ? null : f(rows[i] as SummaryRow)]))
      const p50 = per((s) => s.p50)
      const a = first === undefined ? null : p50[first.transport]
      const b = second === undefined ? null : p50[second.transport]
      out.push({
        metric,
        group,
        count: Object.fromEntries(runs.map((r, i) => [r.transport, rows[i]?.count ?? 0])),
        p50,
        p95: per((s) => s.p95),
        p99: per((s) => s.p99),
        p50Ratio: a == null || b == null || a === 0 ? null : Math.round((b / a) * 1000) / 1000,
      })
    }
  }
  return out
}

export const compareTransportsCsv = (transports: readonly string[], rows: readonly TransportCompareRow[]): string => {
  const stats = ['count', 'p50', 'p95', 'p99'] as const
  const header = ['metric', 'group', ...stats.flatMap((s) => transports.map((t) => `${t}_${s}`)), 'p50_ratio']
  const cell = (x: number | null | undefined) => (x === null || x === undefined ? '' : String(x))
  return stringify([header, ...rows.map((r) => [r.metric, r.group, ...stats.flatMap((s) => transports.map((t) => cell(r[s][t]))), cell(r.p50Ratio)])])
}

/** Every run's samples, with the transport first. */
export const transportSamplesCsv = (runs: readonly RunResult[]): string =>
  stringify([
    ['transport', ...SAMPLES_COLUMNS],
    ...runs.flatMap((r) =>
      r.values
        .filter((v) => v.value_ms !== null)
        .map((v) => [r.plan.transport, r.runId, r.plan.scenario.name, v.group, v.node, v.metric, (v.value_ms as number).toFixed(3)]),
    ),
  ])

/** What went wrong (or was found) in one run, in one line: failed checks, failed bids, values missing. */
export const describeOutcome = (r: RunResult): string => {
  const parts: string[] = []
  const failedAssertions = r.assertions.filter((a) => !a.ok)
  if (failedAssertions.length > 0)
    parts.push(`assertions failed: ${failedAssertions.map((a) => `${a.text} (actual ${a.actual ?? 'no value'})`).join(', ')}`)
  for (const t of r.timeouts) parts.push(`timed out: ${t.replace(/ \(.*\)$/, '')}`)
  for (const n of r.notes) parts.push(`not reached: ${n.replace(/ \(.*\)$/, '')}`)
  const bids = bidFailures(r.events)
  const byMetric = new Map<string, string[]>()
  for (const f of bids) byMetric.set(f.metric, [...(byMetric.get(f.metric) ?? []), `${f.group} ${f.count} of ${f.of} calls ${f.code}`])
  for (const [metric, fs] of byMetric) parts.push(`${metric} failed: ${fs.join(', ')}`)
  const missing = r.summary.filter((s) => s.group === ALL_GROUP && s.missing > 0 && !byMetric.has(s.metric))
  if (missing.length > 0) parts.push(`values missing: ${missing.map((s) => `${s.metric} ${s.missing}`).join(', ')}`)
  return `${r.passed ? 'PASS' : 'FAIL'}; ${parts.length === 0 ? 'nothing failed' : parts.join('; ')}`
}

/**
 * Runs each plan in turn (they differ only in transport; resolvePlans makes them), then writes
 * the combined folder. Passed when every run passed.
 */
export const runTransports = async (plans: RunPlan[], opts: RunScenarioOptions & { console?: ConsoleReporter } = {}): Promise<TransportsResult> => {
  const first = plans[0]
  if (first === undefined) throw new Error('runTransports: no plan')
  const out = opts.console ?? new ConsoleReporter({ quiet: opts.quiet ?? false })
  const scenario = first.scenario.name
  const transports = plans.map((p) => p.transport)
  const { runId: combinedId, console: given, ...rest } = opts
  // each run's own account goes to the same console
  const inner: RunScenarioOptions = given === undefined ? rest : { ...rest, reporters: [given] }
  const runs: RunResult[] = []
  for (const [i, plan] of plans.entries()) {
    out.line(`== ${scenario} over ${plan.transport} (${i + 1} of ${plans.length}) ==`)
    const r = await runScenario(plan, inner)
    out.line(`${r.passed ? 'PASS' : 'FAIL'} ${scenario} over ${plan.transport}: report in ${r.reportDir}`)
    out.line('')
    runs.push(r)
  }

  const runId = combinedId ?? newRunId()
  const compare = compareTransports(
    runs.map((r) => ({ transport: r.plan.transport, summary: r.summary })),
    first.groups.map((g) => g.name),
  )
  const passed = runs.every((r) => r.passed)
  const dir = new AtomicDir(join(first.reportsDir, scenario, runId))
  let reportDir: string
  try {
    dir.write('compare.csv', compareTransportsCsv(transports, compare))
    dir.write('samples.csv', transportSamplesCsv(runs))
    const summary = {
      scenario,
      run_id: runId,
      passed,
      seed: first.seed,
      transports: runs.map((r) => ({
        transport: r.plan.transport,
        run_id: r.runId,
        report_dir: r.reportDir,
        passed: r.passed,
        outcome: describeOutcome(r),
        failed_assertions: r.assertions.filter((a) => !a.ok),
        timeouts: r.timeouts,
        notes: r.notes,
      })),
    }
    dir.write('transports.json', JSON.stringify(summary, null, 2) + '\n')
    try {
      dir.write('report.html', await renderRunHtml(dir.partial))
    } catch (err) {
      out.line(`  (report.html not written: ${(err as Error).message})`)
    }
    reportDir = dir.commit()
  } catch (err) {
    dir.abandon()
    throw err
  }

  await updateReportsIndex(first.reportsDir, (l) => out.line(l))
  out.line(`${scenario}: ${transports.join(' vs ')}, compare in ${reportDir}`)
  const width = Math.max(...transports.map((t) => t.length)) + 1
  for (const r of runs) out.line(`  ${`${r.plan.transport}:`.padEnd(width)} ${describeOutcome(r)}`)
  return { scenario, runId, reportDir, runs, compare, passed }
}
