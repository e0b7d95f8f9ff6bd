import type { SimEvent } from '../core/events.ts'
import { ordered, type MetricValue } from './metric-value.ts'

/**
 * Auth metrics (docs/reports.md, "Metrics"):
 * - `reject_ms`: for nodes of groups meant to be refused (`node.start` data.expect ===
 *   'rejected'), node start → the connect error or refused registration. Missing when the
 *   node was never refused (a finding).
 * - `leaked_registration_ms`: for the same nodes, node start → an orchestrator accepting its
 *   registration. Rows only for leaks: its count must be 0.
 * - `rogue_seen_ms`: for each rogue-orchestrator probe that saw cluster traffic, the time from
 *   the rogue being ready to the first message it saw (group `rogue`). Rows only when it saw
 *   something: its count is the number of successful eavesdrops.
 */
export const authMetrics = (events: SimEvent[]): MetricValue[] => {
  const out: MetricValue[] = []
  const refused = new Map<string, { group: string; t: number; rejected: boolean; leaked: boolean }>()
  let probes = 0
  for (const { e } of ordered(events)) {
    if (e.kind === 'node.start' && e.data.expect === 'rejected') {
      refused.set(e.node, { group: e.data.group, t: e.t, rejected: false, leaked: false })
      continue
    }
    if (e.kind === 'rogue.result') {
      probes++
      const first = e.data.first_ms
      if (e.data.joined && first !== null) out.push({ node: `rogue-${probes}`, group: 'rogue', metric: 'rogue_seen_ms', value_ms: first })
      continue
    }
    const n = e.node === undefined ? undefined : refused.get(e.node)
    if (!n) continue
    if (!n.rejected && ((e.kind === 'node.error' && e.data.phase === 'connect') || e.kind === 'node.register_failed')) {
      n.rejected = true
      out.push({ node: e.node as string, group: n.group, metric: 'reject_ms', value_ms: e.t - n.t })
    } else if (!n.leaked && e.kind === 'orch.register' && e.data.accepted) {
      n.leaked = true
      out.push({ node: e.node as string, group: n.group, metric: 'leaked_registration_ms', value_ms: e.t - n.t })
    }
  }
  for (const [node, n] of refused) if (!n.rejected) out.push({ node, group: n.group, metric: 'reject_ms', value_ms: null })
  return out
}
