import { mean, quantileSorted } from 'simple-statistics'
import { toleranceFor, type CompareSettings, type Percentile } from '../config/compare-settings.ts'
import type { CompareRow, Verdict } from '../report/format/compare-csv.ts'
import type { Sample } from '../report/format/report-files.ts'
import { rankSumTest } from './rank-sum-test.ts'
import { tailTest } from './tail-test.ts'
import { allowanceFor, type Allowance } from './tolerance.ts'

/**
 * The verdict of one (group, metric) (docs/reports.md, "How the gate decides"). In order:
 * 1. missing values appear (A had none, B has some): regressed. Every side netsim writes knows
 *    its missing values: a run's summary.csv counts them, a baseline keeps them as empty cells.
 * 2. a count metric (settings.count_metrics) appears (A had 0 values per run, B has some):
 *    regressed; disappears: improved.
 * 3. otherwise, for each judged statistic (p50, p95): B's mean over its runs against A's, with
 *    the allowance from A's run-to-run spread (tolerance.ts), and a test on the samples that
 *    must agree: the rank-sum test for p50 (a shift of the whole distribution), the tail test
 *    for p95 (more of B's values beyond A's p95 than chance allows). Regressed when a statistic
 *    is worse by more than its allowance and its test is significant; improved when one is
 *    better so, and none worse; else same.
 */
export interface JudgeSide {
  samples: readonly Sample[]
  /** missing values of this (group, metric) */
  missing: number
  runIds: readonly string[]
}

const us = (v: number): number => Math.round(v * 1000) / 1000
const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2))
const fmtP = (p: number): string => (p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`)
const Q: Record<Percentile, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99 }

const valuesOf = (samples: readonly Sample[]): number[] => samples.flatMap((x) => (x.value_ms === null ? [] : [x.value_ms])).sort((a, b) => a - b)
const pct = (sorted: readonly number[], p: Percentile): number | null => (sorted.length === 0 ? null : us(quantileSorted([...sorted], Q[p])))

/** The statistic in each run of a side (runs without values left out). */
const perRun = (side: JudgeSide, p: Percentile): number[] =>
  side.runIds.flatMap((id) => {
    const v = pct(valuesOf(side.samples.filter((x) => x.run_id === id)), p)
    return v === null ? [] : [v]
  })

interface Shift {
  p: Percentile
  /** mean over runs, A and B */
  a: number
  b: number
  d: number
  allowance: Allowance
  /** the test on the samples, in the direction of the shift */
  p_value: number
}

export const judge = (metric: string, group: string, A: JudgeSide, B: JudgeSide, settings: CompareSettings): CompareRow | null => {
  const va = valuesOf(A.samples)
  const vb = valuesOf(B.samples)
  if (va.length === 0 && vb.length === 0 && A.missing === 0 && B.missing === 0) return null // did not apply on either side
  const test = va.length > 0 && vb.length > 0 ? rankSumTest(va, vb) : null
  const tol = toleranceFor(settings, metric)
  const allowances = Object.fromEntries(
    settings.percentiles.map((p) => [p, allowanceFor(perRun(A, p), Math.max(1, B.runIds.length), tol, settings.false_alarm)]),
  ) as Partial<Record<Percentile, Allowance>>
  const diff = (x: number | null, y: number | null) => (x === null || y === null ? null : us(y - x))
  const row: CompareRow = {
    metric,
    group,
    a_count: va.length,
    b_count: vb.length,
    a_missing: A.missing,
    b_missing: B.missing,
    a_p50: pct(va, 'p50'),
    b_p50: pct(vb, 'p50'),
    a_p95: pct(va, 'p95'),
    b_p95: pct(vb, 'p95'),
    a_p99: pct(va, 'p99'),
    b_p99: pct(vb, 'p99'),
    p50_diff_ms: diff(pct(va, 'p50'), pct(vb, 'p50')),
    p99_diff_ms: diff(pct(va, 'p99'), pct(vb, 'p99')),
    p_value: test === null ? null : Number(test.p_value.toPrecision(4)),
    verdict: 'same',
    reason: '',
    a_runs: A.runIds.length,
    b_runs: B.runIds.length,
    spread_p50_ms: allowances.p50?.spread_ms ?? null,
    spread_p95_ms: allowances.p95?.spread_ms ?? null,
    mde_p50_ms: allowances.p50?.allowance_ms ?? null,
    mde_p95_ms: allowances.p95?.allowance_ms ?? null,
  }
  const done = (verdict: Verdict, reason: string): CompareRow => Object.assign(row, { verdict, reason })

  if (B.missing > 0 && A.missing === 0) return done('regressed', `missing 0 → ${B.missing}`)
  if (settings.count_metrics.includes(metric)) {
    const ra = va.length / Math.max(1, A.runIds.length)
    const rb = vb.length / Math.max(1, B.runIds.length)
    if (ra === 0 && rb > 0) return done('regressed', `count per run 0 → ${fmt(rb)}`)
    if (ra > 0 && rb === 0) return done('improved', `count per run ${fmt(ra)} → 0`)
  }
  if (test === null) return done('same', va.length === 0 && vb.length === 0 ? 'no values' : `no values in ${va.length === 0 ? 'A' : 'B'}`)

  const shifts: Shift[] = settings.percentiles.flatMap((p) => {
    const ra = perRun(A, p)
    const rb = perRun(B, p)
    const allowance = allowances[p]
    if (ra.length === 0 || rb.length === 0 || allowance === undefined) return []
    const a = mean(ra)
    const b = mean(rb)
    const d = b - a
    // p50: is B's whole distribution shifted? others: are more of B's values in the tail?
    const p_value =
      p === 'p50'
        ? Math.sign(d) === Math.sign(test.prob_b_greater - 0.5)
          ? test.p_value
          : 1
        : tailTest(va, vb, Q[p], d >= 0 ? 'worse' : 'better').p_value
    return [{ p, a, b, d, allowance, p_value }]
  })
  const counts = (s: Shift) => Math.abs(s.d) > s.allowance.allowance_ms && s.p_value < settings.alpha
  const worse = shifts.filter((s) => s.d > 0 && counts(s))
  const better = shifts.filter((s) => s.d < 0 && counts(s))
  const describe = (s: Shift) =>
    `${s.p} ${s.d >= 0 ? '+' : '−'}${fmt(Math.abs(s.d))} ms${s.a !== 0 ? ` (${s.d >= 0 ? '+' : '−'}${fmt(Math.abs((100 * s.d) / s.a))}%)` : ''} beyond ±${fmt(s.allowance.allowance_ms)} (${s.allowance.by}); ${fmtP(s.p_value)}`
  if (worse.length > 0) return done('regressed', worse.map(describe).join(', '))
  if (better.length > 0) return done('improved', better.map(describe).join(', '))
  const within = shifts.filter((s) => Math.abs(s.d) <= s.allowance.allowance_ms)
  const notSignificant = shifts.filter((s) => Math.abs(s.d) > s.allowance.allowance_ms)
  if (notSignificant.length > 0)
    return done('same', `${notSignificant.map((s) => `${s.p} ${fmtP(s.p_value)} ≥ ${settings.alpha}`).join(', ')}: not significant`)
  return done('same', `within ${within.map((s) => `±${fmt(s.allowance.allowance_ms)} (${s.p})`).join(', ')}`)
}
