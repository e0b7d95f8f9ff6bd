import type { CompareRow } from './compare-sides.ts'

const ms = (x: number | null): string => (x === null ? '-' : Math.abs(x) >= 1000 ? x.toFixed(0) : x.toFixed(1))
const signed = (x: number | null): string => (x === null ? '-' : `${x > 0 ? '+' : ''}${ms(x)}`)
const n = (x: number | null): string => (x === null ? '?' : String(x))
const pv = (p: number | null): string => (p === null ? '-' : p < 0.0001 ? '<1e-4' : p.toPrecision(2))

/**
 * The compare as a console table (times in ms), one line per row, then the reason of every row
 * that is not `same`:
 *
 * ```
 * group  metric        count A/B  missing A/B  p50 A  p50 B  Δp50  p95 A  p95 B  p99 A  p99 B  Δp99  p  verdict
 * ```
 */
export const formatCompareTable = (rows: readonly CompareRow[]): string => {
  const header = ['group', 'metric', 'count A/B', 'missing A/B', 'p50 A', 'p50 B', 'Δp50', 'p95 A', 'p95 B', 'p99 A', 'p99 B', 'Δp99', 'p', 'verdict']
  const body = rows.map((r) => [
    r.group,
    r.metric,
    `${r.a_count}/${r.b_count}`,
    `${n(r.a_missing)}/${n(r.b_missing)}`,
    ms(r.a_p50),
    ms(r.b_p50),
    signed(r.p50_diff_ms),
    ms(r.a_p95),
    ms(r.b_p95),
    ms(r.a_p99),
    ms(r.b_p99),
    signed(r.p99_diff_ms),
    pv(r.p_value),
    r.verdict === 'same' ? 'same' : r.verdict.toUpperCase(),
  ])
  const all = [header, ...body]
  const width = header.map((_, k) => Math.max(...all.map((line) => (line[k] ?? '').length)))
  const left = new Set([0, 1, 13])
  const lines = all.map((line) =>
    line
      .map((c, k) => (left.has(k) ? c.padEnd(width[k] ?? 0) : c.padStart(width[k] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
  const reasons = rows
    .filter((r) => r.verdict !== 'same')
    .map((r) => `${r.verdict === 'regressed' ? 'REGRESSED' : 'improved '} ${r.group}.${r.metric}: ${r.reason}`)
  return [...lines, ...(reasons.length ? ['', ...reasons] : [])].join('\n') + '\n'
}
