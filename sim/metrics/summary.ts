import { mean, quantileSorted } from 'simple-statistics'
import type { MetricValue } from './metric-value.ts'

/** Per (group, metric) statistics; the numbers are null when count is 0. */
export interface SummaryRow {
  group: string
  metric: string
  /** values present */
  count: number
  /** nodes the metric applied to that never got a value */
  missing: number
  min: number | null
  p50: number | null
  p90: number | null
  p95: number | null
  p99: number | null
  max: number | null
  mean: number | null
}

/** Report order; metrics not listed here follow, alphabetically. */
export const METRIC_ORDER: readonly string[] = [
  'connect_ms',
  'register_ms',
  'full_pool_ms',
  'visible_ms',
  'visible_all_ms',
  'join_pool_ms',
  'register_failed_ms',
  'rejoin_ms',
  'detect_ms',
  'reconnect_ms',
  'resume_ms',
  'orch_detect_ms',
  'flap_ms',
  'heal_reconnect_ms',
  'closed_ms',
  'reject_ms',
  'leaked_registration_ms',
  'rogue_seen_ms',
  'bid_ms',
  'job_latency_ms',
  'job_latency_before_ms',
  'job_latency_during_ms',
  'job_latency_after_ms',
  'job_resume_ms',
]

export const ALL_GROUP = 'all'

/** Round to µs (3 decimals of a millisecond). */
const us = (v: number): number => Math.round(v * 1000) / 1000

const rank = (m: string): number => {
  const k = METRIC_ORDER.indexOf(m)
  return k === -1 ? METRIC_ORDER.length : k
}

const stats = (group: string, metric: string, rows: readonly MetricValue[]): SummaryRow => {
  const xs = rows.flatMap((r) => (r.value_ms === null ? [] : [r.value_ms])).sort((a, b) => a - b)
  const q = (p: number) => (xs.length === 0 ? null : us(quantileSorted(xs, p)))
  return {
    group,
    metric,
    count: xs.length,
    missing: rows.length - xs.length,
    min: q(0),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    max: q(1),
    mean: xs.length === 0 ? null : us(mean(xs)),
  }
}

/**
 * One row per (group, metric) that has at least one value (null included), plus group `all` per
 * metric. Metrics in METRIC_ORDER, groups in the order given (groups not given follow in first-seen
 * order), `all` last within each metric. Percentiles use linear interpolation (R type 7).
 */
export const summarize = (values: readonly MetricValue[], groups: readonly string[] = []): SummaryRow[] => {
  const groupOrder = [...new Set([...groups, ...values.map((v) => v.group)])]
  const metrics = [...new Set(values.map((v) => v.metric))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  const out: SummaryRow[] = []
  for (const metric of metrics) {
    const ofMetric = values.filter((v) => v.metric === metric)
    for (const group of groupOrder) {
      const rows = ofMetric.filter((v) => v.group === group)
      if (rows.length > 0) out.push(stats(group, metric, rows))
    }
    out.push(stats(ALL_GROUP, metric, ofMetric))
  }
  return out
}
