import type { SimEvent } from '../events.ts'
import { addressBefore, firstAfter, nodeStarts, ordered, since, type Indexed, type MetricValue } from './metric-value.ts'

/**
 * The server a node is attached to just before position `before`: the data.server of its latest
 * connected/reconnected, unless a disconnected/closed came after it.
 */
const serverBefore = (evs: readonly Indexed[], node: string, before: number): string | undefined => {
  let server: string | undefined
  for (let k = 0; k < before && k < evs.length; k++) {
    const e = evs[k]?.e
    if (e === undefined || e.node !== node) continue
    if (e.kind === 'node.connected' || e.kind === 'node.reconnected') server = String(e.data?.['server'] ?? '')
    else if (e.kind === 'node.disconnected' || e.kind === 'node.closed') server = undefined
  }
  return server
}

/**
 * Failover metrics (DESIGN.md §4), one set per orchestrator fault and affected node (a node
 * whose current server was the target when the fault hit). "After the fault" means after the
 * `fault.apply` in recorded order, so a disconnect stamped at the fault's exact time counts.
 * Each fault looks at all later events, even past a later fault.
 */
export const failoverMetrics = (events: SimEvent[]): MetricValue[] => {
  const evs = ordered(events)
  const starts = nodeStarts(evs)
  const out: MetricValue[] = []
  for (const fault of evs) {
    if (fault.e.kind !== 'fault.apply' || fault.e.data?.['target_kind'] !== 'orchestrator') continue
    const target = fault.e.orch
    if (target === undefined) continue
    const addr = addressBefore(evs, target, fault.i)
    if (addr === undefined) continue
    const f = fault.e.t
    for (const n of starts.values()) {
      if (serverBefore(evs, n.node, fault.i) !== addr) continue
      const row = (metric: string, value_ms: number | null) => out.push({ node: n.node, group: n.group, metric, value_ms })
      const mine = (kind: string) => (e: SimEvent) => e.kind === kind && e.node === n.node
      // a survivor's DISCONNECTED mark for this node
      const survivorMark = (e: SimEvent) => mine('orch.node_state')(e) && e.orch !== target && e.data?.['state'] === 'DISCONNECTED'

      row('detect_ms', since(firstAfter(evs, fault.i, mine('node.disconnected')), f))
      const rec = firstAfter(evs, fault.i, mine('node.reconnected'))
      row('reconnect_ms', since(rec, f))
      const hb = rec && firstAfter(evs, rec.i, (e) => mine('orch.heartbeat')(e) && e.orch !== target)
      row('resume_ms', since(hb, f))

      const closed = firstAfter(evs, fault.i, mine('node.closed'))
      if (closed !== undefined) row('closed_ms', closed.e.t - f)

      // orch_detect: a survivor noticed the node was gone before it came back (if it did). It is
      // expected (missing when absent) only for nodes that never reconnected.
      const mark = firstAfter(evs, fault.i, survivorMark)
      const early = mark !== undefined && (rec === undefined || mark.i < rec.i) ? mark : undefined
      if (rec === undefined || early !== undefined) row('orch_detect_ms', since(early, f))

      // flap: a survivor marked the node DISCONNECTED after it had already failed over.
      const flap = rec && firstAfter(evs, rec.i, survivorMark)
      if (flap !== undefined) row('flap_ms', flap.e.t - f)
    }
  }
  return out
}
