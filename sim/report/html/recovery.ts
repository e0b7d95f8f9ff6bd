import type { SimEvent } from '../../core/events.ts'
import { failoverMetrics } from '../../metrics/failover.ts'
import { RECOVERY_METRICS, type RecoveryMetric } from './colors.ts'
import { faultBands } from './segments.ts'

/**
 * The numbers behind a recovery curve: per disruptive fault, the nodes it hit (those the
 * failover metrics apply to: sim/metrics/failover.ts) and, of those, when each was detected,
 * reconnected and resumed, in ms since the fault. A node that never got there is in `n` but
 * not in `values`, so its curve stops short of 100 %.
 */
export interface RecoveryCurve {
  metric: RecoveryMetric
  /** ms since the fault, one per node that got there */
  values: number[]
  /** nodes the metric applied to (the denominator) */
  n: number
  /** `A`/`B` in a compare; absent in a run's own report */
  side?: 'A' | 'B'
}

export interface Limit {
  metric: RecoveryMetric
  /** the fraction the curve must (max) or may not (min) reach by `ms`: p99 -> 0.99, max -> 1 */
  q: number
  ms: number
  kind: 'max' | 'min'
  /** the statistic bounded: p99, max... */
  stat: string
  text: string
  ok: boolean | null
}

export interface RecoveryFault {
  id: string
  /** `kill orch-0` */
  label: string
  /** ms since run start */
  start: number
  /** ms from the fault to its heal, when it healed */
  heal: number | null
  /** nodes the fault hit */
  affected: number
  /** their names */
  nodes: string[]
  curves: RecoveryCurve[]
}

/** Per disruptive fault that hit at least one node, in time order. */
export const recoveryFaults = (events: SimEvent[]): RecoveryFault[] => {
  const values = failoverMetrics(events)
  const bands = faultBands(events, 0)
  const out: RecoveryFault[] = []
  for (const b of bands) {
    const mine = values.filter((v) => v.fault === b.id)
    const nodes = [...new Set(mine.map((v) => v.node))]
    if (nodes.length === 0) continue
    const curves = RECOVERY_METRICS.map((metric): RecoveryCurve => {
      const rows = mine.filter((v) => v.metric === metric)
      return { metric, values: rows.flatMap((r) => (r.value_ms === null ? [] : [r.value_ms])), n: rows.length }
    })
    out.push({ id: b.id, label: b.label, start: b.start, heal: b.healed ? b.end - b.start : null, affected: nodes.length, nodes, curves })
  }
  return out
}

/** An assertion as run.json's plan records it. */
export interface PlannedAssertion {
  metric: string
  stat: string
  group?: string
  max?: number
  min?: number
  text: string
}

const QUANTILE: Record<string, number> = { p50: 0.5, p90: 0.9, p95: 0.95, p99: 0.99, max: 1, min: 0 }

/**
 * The assertions a recovery curve can show: a bound on a percentile (or the max) of detect,
 * reconnect or resume. `p99 <= 2 s` is the point (2 s, 99 %) the curve must pass left of.
 * Counts and missing values are in the assertions table, not on the curve.
 */
export const recoveryLimits = (assertions: readonly PlannedAssertion[], results: readonly { text: string; ok: boolean }[] = []): Limit[] =>
  assertions.flatMap((a): Limit[] => {
    const metric = a.metric as RecoveryMetric
    const q = QUANTILE[a.stat]
    if (!(RECOVERY_METRICS as readonly string[]).includes(metric) || q === undefined) return []
    const ok = results.find((r) => r.text === a.text)?.ok ?? null
    const out: Limit[] = []
    if (a.max !== undefined) out.push({ metric, q: a.stat === 'min' ? 0 : q, ms: a.max, kind: 'max', stat: a.stat, text: a.text, ok })
    if (a.min !== undefined) out.push({ metric, q: a.stat === 'min' ? 0 : q, ms: a.min, kind: 'min', stat: a.stat, text: a.text, ok })
    return out
  })

/** p-th quantile of the values among `n` nodes (missing ones count as never), or null when fewer got there. */
export const reachedBy = (c: RecoveryCurve, p: number): number | null => {
  const xs = [...c.values].sort((a, b) => a - b)
  const k = Math.ceil(p * c.n) - 1
  return k < xs.length && k >= 0 ? (xs[k] as number) : null
}
