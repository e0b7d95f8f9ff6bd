import type { FaultApplyData, SimEvent } from '../core/events.ts'
import { initialConnection, nextConnection } from '../core/node-state.ts'
import { addressBefore, indexByNode, firstIn as firstAfter, nodeStarts, ordered, since, type Indexed, type MetricValue } from './metric-value.ts'

/** The server a node is attached to just before position `before` (core/node-state.ts). */
const serverBefore = (list: readonly Indexed[], before: number): string | null => {
  let s = initialConnection()
  for (const { i, e } of list) {
    if (i >= before) break
    s = nextConnection(s, e)
  }
  return s.server
}

/** What a fault hit: the orchestrators whose links or processes it broke, and (link faults) one group. */
interface FaultTarget {
  orchestrators: string[]
  group?: string
  /** process faults: the target itself is down, so its heartbeats do not count as a resume */
  processFault: boolean
}

const targetOf = (data: FaultApplyData, orch: string | undefined): FaultTarget | undefined => {
  if (data.target_kind === 'link') return { orchestrators: data.orchestrators, group: data.group, processFault: false }
  if (data.target_kind === 'orchestrator' && orch !== undefined) return { orchestrators: [orch], processFault: true }
  return undefined // an event of another kind of target (none yet): not a failover
}

/**
 * Failover metrics (docs/reports.md, "Metrics"), one set per disruptive fault and affected node: a node whose
 * current server was a target (process faults), or a node of the target group on a targeted
 * link (link faults), when the fault hit. "After the fault" means after the `fault.apply` in
 * recorded order, so a disconnect stamped at the fault's exact time counts. Each fault looks
 * at all later events, even past a later fault.
 */
export const failoverMetrics = (events: SimEvent[]): MetricValue[] => {
  const evs = ordered(events)
  const starts = nodeStarts(evs)
  const byNode = indexByNode(evs)
  const out: MetricValue[] = []
  for (const fault of evs) {
    // Only faults that cut nodes off (the fault registry says which: latency and bandwidth do not).
    if (fault.e.kind !== 'fault.apply' || !fault.e.data.disruptive) continue
    const target = targetOf(fault.e.data, fault.e.orch)
    if (!target) continue
    const addrs = new Set(target.orchestrators.map((o) => addressBefore(evs, o, fault.i)).filter((a): a is string => a !== undefined))
    if (addrs.size === 0) continue
    const f = fault.e.t
    const id = fault.e.data.id
    const heal = evs.find(
      (x) => x.i > fault.i && x.e.kind === 'fault.heal' && x.e.data.id === id && (!target.processFault || x.e.orch === fault.e.orch),
    )
    // Which orchestrators' observations count: not a crashed target's, until it is back
    // (a restart, or a heal that restarted or thawed it).
    const restarted = fault.e.data.type.startsWith('restart')
    const counts = (e: SimEvent) =>
      !target.processFault || !target.orchestrators.includes(e.orch as string) || restarted || (heal !== undefined && e.t > heal.e.t)
    for (const n of starts.values()) {
      if (target.group !== undefined && n.group !== target.group) continue
      const mine = byNode.get(n.node) ?? []
      const server = serverBefore(mine, fault.i)
      if (server === null || !addrs.has(server)) continue
      const row = (metric: string, value_ms: number | null) => out.push({ node: n.node, group: n.group, metric, value_ms, fault: id })
      const is = (kind: string) => (e: SimEvent) => e.kind === kind
      // an orchestrator that still counts (not the one that was killed) marks it DISCONNECTED
      const survivorMark = (e: SimEvent) => e.kind === 'orch.node_state' && counts(e) && e.data.state === 'DISCONNECTED'

      row('detect_ms', since(firstAfter(mine, fault.i, is('node.disconnected')), f))
      const rec = firstAfter(mine, fault.i, is('node.reconnected'))
      row('reconnect_ms', since(rec, f))
      const hb = rec && firstAfter(mine, rec.i, (e) => e.kind === 'orch.heartbeat' && counts(e))
      row('resume_ms', since(hb, f))

      const closed = firstAfter(mine, fault.i, is('node.closed'))
      if (closed !== undefined) row('closed_ms', closed.e.t - f)

      // orch_detect: an orchestrator noticed the node was gone before it came back (if it did).
      // It is expected (missing when absent) only for nodes that never reconnected.
      const mark = firstAfter(mine, fault.i, survivorMark)
      const early = mark !== undefined && (rec === undefined || mark.i < rec.i) ? mark : undefined
      if (rec === undefined || early !== undefined) row('orch_detect_ms', since(early, f))

      // flap: a survivor marked it DISCONNECTED after it had already failed over. Not the
      // target after its heal: a thawed orchestrator's first check runs on the view it had
      // when frozen, before the heartbeats it missed arrive; that is its own staleness, not a
      // failover slower than the timeout.
      const survivor = (e: SimEvent) => !target.processFault || !target.orchestrators.includes(e.orch as string) || restarted
      const flap = rec && firstAfter(mine, rec.i, (e) => survivorMark(e) && survivor(e))
      if (flap !== undefined) row('flap_ms', flap.e.t - f)

      // heal_reconnect: for nodes that had noticed they were cut off and were still off when
      // the fault healed, heal → reconnect. (A node that never noticed was never off.)
      const lost = firstAfter(mine, fault.i, is('node.disconnected'))
      if (heal !== undefined && lost !== undefined && lost.i < heal.i && (rec === undefined || rec.i > heal.i)) {
        const after = firstAfter(mine, heal.i, is('node.reconnected'))
        row('heal_reconnect_ms', since(after, heal.e.t))
      }
    }
  }
  return out
}
