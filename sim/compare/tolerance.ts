import { mean, sampleStandardDeviation } from 'simple-statistics'
import type { Tolerance } from '../config/compare-settings.ts'
import { tQuantile } from './t-distribution.ts'

/**
 * How large a change must be before the gate calls it one (docs/reports.md, "How the gate
 * decides"). One rule for every metric, from the metric's own noise:
 *
 *   allowance = max( t(1 − false_alarm, R_A − 1) · s_run · √(1/R_A + 1/R_B),  relative · A,  absolute_ms )
 *
 * - s_run is the standard deviation of the statistic (p50, p95) across the baseline's R_A runs:
 *   how much the machine alone moves it from one run to the next. A candidate of R_B runs is
 *   compared by the mean of its runs' statistic, so its noise shrinks with √R_B; the baseline
 *   mean's with √R_A. The t quantile (R_A − 1 degrees of freedom, since s_run is itself an
 *   estimate from few runs) sets how often run-to-run noise alone would exceed the allowance:
 *   `false_alarm` per metric and statistic.
 * - A millisecond metric with little spread is then held to a change users care about
 *   (a 20 ms detection is flagged when it doubles); a second-scale or load-bound one with a
 *   wide spread gets room in proportion to what its runs showed.
 * - The relative and absolute floors keep a metric whose runs happened to agree closely (or a
 *   baseline of one run, whose spread is unknown) from flagging a trivial change.
 *
 * The allowance is also the gate's minimum detectable change for that metric: the smallest
 * shift of the candidate's mean that can read `regressed` (the tests on the samples must agree
 * too). regress prints it and writes it to regress.csv.
 */
export interface Allowance {
  /** standard deviation of the statistic across A's runs; null with fewer than two runs */
  spread_ms: number | null
  /** the smallest B − A (ms) that counts as a change */
  allowance_ms: number
  /** which bound set it */
  by: 'spread' | 'relative' | 'absolute'
}

export const allowanceFor = (runValuesA: readonly number[], runsB: number, tol: Tolerance, falseAlarm: number): Allowance => {
  const ra = runValuesA.length
  const a = ra === 0 ? 0 : mean([...runValuesA])
  const spread = ra >= 2 ? sampleStandardDeviation([...runValuesA]) : null
  const fromSpread = spread === null ? 0 : tQuantile(1 - falseAlarm, ra - 1) * spread * Math.sqrt(1 / ra + 1 / Math.max(1, runsB))
  const relative = tol.relative * Math.abs(a)
  const bounds = [
    ['spread', fromSpread],
    ['relative', relative],
    ['absolute', tol.absolute_ms],
  ] as const
  const [by, allowance] = bounds.reduce((m, b) => (b[1] > m[1] ? b : m))
  const us = (x: number) => Math.round(x * 1000) / 1000
  return { spread_ms: spread === null ? null : us(spread), allowance_ms: us(allowance), by }
}
