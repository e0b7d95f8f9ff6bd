import type { SimEvent } from '../core/events.ts'
import {
  firstIn,
  indexByNode,
  nodeStarts,
  ordered,
  orchsUpAt,
  orchTimeline,
  since,
  type Indexed,
  type MetricValue,
  type NodeStart,
} from './metric-value.ts'

const servers = (e: SimEvent): string[] => (e.kind === 'node.pool' ? e.data.servers : [])

const isMark = (e: SimEvent, node: string, state: string, orch?: string): boolean =>
  e.kind === 'orch.node_state' && e.node === node && e.data.state === state && (orch === undefined || e.orch === orch)

/**
 * full_pool_ms: the first pool update whose servers hold every orchestrator of `live` (those up
 * at the node's start) that is still up at that update. An update when none of them is up any
 * more does not count: there is nothing left to have discovered.
 */
const fullPool = (mine: Indexed[], orchs: Indexed[], n: NodeStart, live: Map<string, string>): number | null => {
  for (const x of mine) {
    const e = x.e
    if (x.i <= n.i || e.kind !== 'node.pool') continue
    const up = orchsUpAt(orchs, e.t)
    const need = [...live.keys()].filter((o) => up.has(o)).map((o) => up.get(o) as string)
    const have = new Set(servers(e))
    if (need.length > 0 && need.every((a) => have.has(a))) return e.t - n.t
  }
  return null
}

/**
 * visible_all_ms: the latest first-CONNECTED mark over the orchestrators up at the node's start.
 * One that went down before marking the node is ignored (it could not see it); one that stayed up
 * and never marked it makes the value missing, and so does having none left to ask.
 */
const visibleAll = (mine: Indexed[], orchs: Indexed[], n: NodeStart, live: Map<string, string>): number | null => {
  let latest: number | null = null
  for (const o of live.keys()) {
    const mark = firstIn(mine, n.i, (e) => isMark(e, n.node, 'CONNECTED', o))
    const down = firstIn(orchs, n.i, (e) => e.kind === 'orch.down' && e.orch === o)
    if (down !== undefined && (mark === undefined || down.i < mark.i)) continue
    if (mark === undefined) return null
    latest = Math.max(latest ?? mark.e.t, mark.e.t)
  }
  return latest === null ? null : latest - n.t
}

/**
 * join_pool_ms: for each orchestrator added mid-run, how long from its start (`orch.start`,
 * joined) until each running node's pool lists it. Counted from the start, not from
 * `orch.ready`: nodes hear of a new server as soon as its routes form, which can be before its
 * control plane is ready. The address comes from the orchestrator's next `orch.ready`.
 */
const joinPool = (evs: Indexed[], starts: Map<string, NodeStart>, byNode: Map<string, Indexed[]>): MetricValue[] => {
  const out: MetricValue[] = []
  for (const j of evs) {
    if (j.e.kind !== 'orch.start' || !j.e.data.joined) continue
    const ready = evs.find((x) => x.i > j.i && x.e.kind === 'orch.ready' && x.e.orch === j.e.orch)
    if (ready === undefined) continue
    const addr = ready.e.kind === 'orch.ready' ? ready.e.data.client : ''
    for (const n of starts.values()) {
      if (n.t >= j.e.t || n.expectRejected || n.transport === 'libp2p') continue
      const closed = firstIn(byNode.get(n.node) ?? [], n.i, (e) => e.kind === 'node.closed')
      if (closed !== undefined && closed.e.t < j.e.t) continue
      const pool = (byNode.get(n.node) ?? []).find((x) => x.e.t >= j.e.t && x.e.kind === 'node.pool' && servers(x.e).includes(addr))
      out.push({ node: n.node, group: n.group, metric: 'join_pool_ms', value_ms: since(pool, j.e.t) })
    }
  }
  return out
}

/** Metrics libp2p mode does not have (no registration; the pool is the configured peers). */
export const NATS_ONLY_METRICS: readonly string[] = ['register_ms', 'full_pool_ms', 'join_pool_ms']

/**
 * Discovery metrics (docs/reports.md, "Metrics") for every node that has a `node.start` event. libp2p nodes
 * (node.start data.transport) have no register_ms, full_pool_ms or join_pool_ms: there is no
 * registration, and the pool is the configured peers, never grown by discovery.
 */
export const discoveryMetrics = (events: SimEvent[]): MetricValue[] => {
  const evs = ordered(events)
  const starts = nodeStarts(evs)
  // Per-node event lists and the orchestrators' own timeline: each node's metrics read only
  // its own events, so 10,000 nodes cost 10,000 short scans, not 10,000 scans of the log.
  const byNode = indexByNode(evs)
  const orchs = orchTimeline(evs)
  const out: MetricValue[] = []
  for (const n of starts.values()) {
    if (n.expectRejected) continue // a node meant to be refused is measured by the auth metrics
    const row = (metric: string, value_ms: number | null) => out.push({ node: n.node, group: n.group, metric, value_ms })
    const of = (kind: string) => (e: SimEvent) => e.kind === kind && e.node === n.node
    const mine = byNode.get(n.node) ?? []
    row('connect_ms', since(firstIn(mine, n.i, of('node.connected')), n.t))
    const nats = n.transport === 'nats'
    if (nats)
      row(
        'register_ms',
        since(
          firstIn(mine, n.i, (e) => e.kind === 'node.registered' && e.node === n.node && e.data.accepted),
          n.t,
        ),
      )
    const live = orchsUpAt(orchs, n.t)
    if (nats && live.size > 0) row('full_pool_ms', fullPool(mine, orchs, n, live))
    row(
      'visible_ms',
      since(
        firstIn(mine, n.i, (e) => isMark(e, n.node, 'CONNECTED')),
        n.t,
      ),
    )
    if (live.size > 0) row('visible_all_ms', visibleAll(mine, orchs, n, live))
  }
  return out.concat(joinPool(evs, starts, byNode))
}
