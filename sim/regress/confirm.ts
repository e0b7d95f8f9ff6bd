import type { CompareRow } from '../report/format/compare-csv.ts'

/**
 * The confirmation rule of `npm run regress` (docs/reports.md, "The regression gate"). A
 * machine's slow minute moves every metric of the runs it falls on; a real change persists. So
 * when the first runs read a metric regressed, as many fresh runs are made, and the metric
 * regresses only if the first runs said so AND all the runs together (`pooled`) still do.
 */

const rowKey = (r: CompareRow): string => `${r.group}.${r.metric}`

/** `group.metric` of every row that reads regressed. */
export const regressedKeys = (rows: readonly CompareRow[]): Set<string> => new Set(rows.filter((r) => r.verdict === 'regressed').map(rowKey))

/** The pooled rows, where a regression the first runs did not show reads same (and says why). */
export const confirmedRows = (first: readonly CompareRow[], pooled: readonly CompareRow[]): CompareRow[] => {
  const firstRegressed = regressedKeys(first)
  return pooled.map((r) =>
    r.verdict === 'regressed' && !firstRegressed.has(rowKey(r))
      ? { ...r, verdict: 'same' as const, reason: `${r.reason} (not in the first runs)` }
      : r,
  )
}
