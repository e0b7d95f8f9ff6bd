import type { SimEvent } from '../core/events.ts'
import { nodeStarts, ordered, type MetricValue } from './metric-value.ts'

/**
 * Bid metrics, from the `ask_for_bid` step's `orch.bid` events (one per asking orchestrator and
 * node): `bid_ms` (or the step's own `metric` name) is the time from the call to the node's
 * reply, as the asking orchestrator measured it. A call that failed (UNREACHABLE, NO_RESPONDERS,
 * TIMEOUT, UNKNOWN...) is a missing value: a node some orchestrator could not reach. A node asked
 * by several orchestrators, or in several steps, has one value per call.
 */
export const bidMetrics = (events: SimEvent[]): MetricValue[] => {
  const evs = ordered(events)
  const starts = nodeStarts(evs)
  const out: MetricValue[] = []
  for (const { e } of evs) {
    if (e.kind !== 'orch.bid' || e.node === undefined) continue
    out.push({
      node: e.node,
      group: starts.get(e.node)?.group ?? '',
      metric: e.data.metric ?? 'bid_ms', // events of older reports may lack it
      value_ms: e.data.ok ? e.data.ms : null,
    })
  }
  return out
}

/** Failed calls per (metric, group, code), for a one-line account of what failed. */
export interface BidFailure {
  metric: string
  group: string
  code: string
  count: number
  /** calls made for this metric and group */
  of: number
}

/** `fromIndex`: count only calls recorded at or after this position of `events` (one step's). */
export const bidFailures = (events: SimEvent[], fromIndex = 0): BidFailure[] => {
  const starts = nodeStarts(ordered(events))
  const asked = new Map<string, number>()
  const failed = new Map<string, number>()
  for (const e of events.slice(fromIndex)) {
    if (e.kind !== 'orch.bid' || e.node === undefined) continue
    const metric = e.data.metric ?? 'bid_ms'
    const group = starts.get(e.node)?.group ?? ''
    const k = `${metric}\u0000${group}`
    asked.set(k, (asked.get(k) ?? 0) + 1)
    if (!e.data.ok) {
      const f = `${k}\u0000${e.data.code}`
      failed.set(f, (failed.get(f) ?? 0) + 1)
    }
  }
  return [...failed].map(([k, count]) => {
    const [metric, group, code] = k.split('\u0000') as [string, string, string]
    return { metric, group, code, count, of: asked.get(`${metric}\u0000${group}`) ?? count }
  })
}
