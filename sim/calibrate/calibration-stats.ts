import { quantileSorted } from 'simple-statistics'
import type { MetricValue } from '../metrics/index.ts'

/**
 * The numbers a calibration compares (docs/calibration.md), pure functions of the runs' metric
 * values. Per run: p50 and p99 over the hit nodes of
 * - detect: detect_ms, fault -> the node noticed (node.disconnected);
 * - reconnect: reconnect_ms (heal_reconnect_ms for a partition), -> the node reconnected;
 * - resume: resume_ms, fault -> an orchestrator heard its heartbeat again;
 * and the spread of the reconnect over the nodes that came back, p99 - p50: how far the tail
 * lags the median (the server order and backoff decide it: a node that waits out a reconnect
 * wait shows here first).
 * Over repeats, each side's median (and its range), then simulated / nats.go.
 */
export const CALIBRATION_METRICS = ['detect', 'reconnect', 'resume'] as const
export type CalibrationMetric = (typeof CALIBRATION_METRICS)[number] | 'spread'

/** One statistic of one run. */
export interface RunStat {
  metric: CalibrationMetric
  /** the metric it is derived from (detect_ms, heal_reconnect_ms...) */
  source: string
  stat: 'p50' | 'p99' | 'p99-p50'
  value: number | null
  /** hit nodes with a value / without one */
  count: number
  missing: number
}

const round = (v: number): number => Math.round(v * 1000) / 1000

export const runStats = (values: readonly MetricValue[], reconnectMetric: string): RunStat[] => {
  const out: RunStat[] = []
  const sources: Record<(typeof CALIBRATION_METRICS)[number], string> = { detect: 'detect_ms', reconnect: reconnectMetric, resume: 'resume_ms' }
  for (const metric of CALIBRATION_METRICS) {
    const source = sources[metric]
    const rows = values.filter((v) => v.metric === source)
    const xs = rows.flatMap((r) => (r.value_ms === null ? [] : [r.value_ms])).sort((a, b) => a - b)
    const q = (p: number) => (xs.length === 0 ? null : round(quantileSorted(xs, p)))
    const base = { metric, source, count: xs.length, missing: rows.length - xs.length }
    out.push({ ...base, stat: 'p50', value: q(0.5) }, { ...base, stat: 'p99', value: q(0.99) })
    if (metric === 'reconnect') {
      const [p50, p99] = [q(0.5), q(0.99)]
      out.push({ ...base, metric: 'spread', stat: 'p99-p50', value: p50 === null || p99 === null ? null : round(p99 - p50) })
    }
  }
  return out
}

export interface SideSummary {
  /** median over the runs that have a value */
  median: number | null
  min: number | null
  max: number | null
  runs: number
}

export const summarizeSide = (xs: readonly (number | null)[]): SideSummary => {
  const v = xs.filter((x): x is number => x !== null).sort((a, b) => a - b)
  if (v.length === 0) return { median: null, min: null, max: null, runs: 0 }
  return { median: round(quantileSorted(v, 0.5)), min: v[0] as number, max: v[v.length - 1] as number, runs: v.length }
}

/**
 * within: the ratio lies in [1/bound, bound]; floor: it does not, but the two differ by at most
 * `floorMs` (half the smallest step the order-and-backoff model takes: what is left is event-loop
 * and server time, docs/calibration.md); outside: neither; no data: a side has no value.
 */
export type Verdict = 'within' | 'floor' | 'outside' | 'no data'

export interface CalibrationRow {
  fault: string
  metric: CalibrationMetric
  source: string
  stat: RunStat['stat']
  sim: SideSummary
  go: SideSummary
  /** simulated / nats.go, of the medians */
  ratio: number | null
  /** simulated - nats.go, of the medians (ms) */
  diffMs: number | null
  verdict: Verdict
  /** whether the check tier fails on it: detect and reconnect p50/p99 (resume and the spread are reported) */
  checked: boolean
}

export const verdictOf = (sim: number | null, go: number | null, bound: number, floorMs: number): Verdict => {
  if (sim === null || go === null) return 'no data'
  const ratio = go === 0 ? (sim === 0 ? 1 : Number.POSITIVE_INFINITY) : sim / go
  if (ratio <= bound && ratio >= 1 / bound) return 'within'
  return Math.abs(sim - go) <= floorMs ? 'floor' : 'outside'
}

/** One row per (metric, stat) of a fault: both sides over their repeats, compared. */
export const compareSides = (
  fault: string,
  sim: readonly RunStat[][],
  go: readonly RunStat[][],
  opts: { bound: number; floorMs: number },
): CalibrationRow[] => {
  const keys = (sim[0] ?? go[0] ?? []).map((s) => ({ metric: s.metric, stat: s.stat, source: s.source }))
  return keys.map(({ metric, stat, source }) => {
    const pick = (runs: readonly RunStat[][]) => summarizeSide(runs.map((r) => r.find((s) => s.metric === metric && s.stat === stat)?.value ?? null))
    const [s, g] = [pick(sim), pick(go)]
    const ratio = s.median === null || g.median === null || g.median === 0 ? null : Math.round((s.median / g.median) * 100) / 100
    return {
      fault,
      metric,
      source,
      stat,
      sim: s,
      go: g,
      ratio,
      diffMs: s.median === null || g.median === null ? null : round(s.median - g.median),
      verdict: verdictOf(s.median, g.median, opts.bound, opts.floorMs),
      checked: (metric === 'detect' || metric === 'reconnect') && stat !== 'p99-p50',
    }
  })
}
