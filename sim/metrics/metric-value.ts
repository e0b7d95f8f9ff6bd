import type { SimEvent } from '../core/events.ts'

/**
 * One derived timing for one node. `value_ms` is null when the metric applied to the node but
 * it never got a value ("missing"): a finding, not a zero (docs/reports.md, "Metrics").
 */
export interface MetricValue {
  node: string
  group: string
  metric: string
  value_ms: number | null
  /** failover metrics: the id of the fault the value is measured from (a node hit twice has a value per fault) */
  fault?: string
}

/** A recorded event plus its position in time order (ties keep the recorder's array order). */
export interface Indexed {
  i: number
  e: SimEvent
}

/**
 * Events in time order. The sort is stable, so events with the same `t` keep their array order:
 * that order is what decides, e.g., that a disconnect recorded at the fault's exact `t` came
 * after the fault.
 */
export const ordered = (events: readonly SimEvent[]): Indexed[] => [...events].sort((a, b) => a.t - b.t).map((e, i) => ({ i, e }))

export interface NodeStart {
  node: string
  group: string
  t: number
  i: number
  /** the node's group is meant to be refused (auth scenarios): discovery does not apply */
  expectRejected: boolean
  /** libp2p nodes neither register nor grow a pool: those metrics do not apply to them */
  transport: 'nats' | 'libp2p'
}

/** Nodes by name, from their first `node.start` (data.group); in start order. */
export const nodeStarts = (evs: readonly Indexed[]): Map<string, NodeStart> => {
  const starts = new Map<string, NodeStart>()
  for (const { i, e } of evs) {
    if (e.kind !== 'node.start' || e.node === undefined || starts.has(e.node)) continue
    starts.set(e.node, {
      node: e.node,
      group: e.data.group,
      t: e.t,
      i,
      expectRejected: e.data.expect === 'rejected',
      transport: e.data.transport === 'libp2p' ? 'libp2p' : 'nats',
    })
  }
  return starts
}

/** Orchestrator name -> client address ('host:port') from its latest `orch.ready`. */
export const orchAddresses = (evs: readonly Indexed[]): Map<string, string> => {
  const addrs = new Map<string, string>()
  for (const { e } of evs) if (e.kind === 'orch.ready') addrs.set(e.orch, e.data.client)
  return addrs
}

/**
 * Orchestrators up at time `t`: name -> client address, for those whose latest `orch.ready` at or
 * before `t` has no `orch.down` after it (at or before `t`). Folding in order handles restarts
 * (down, then ready again, possibly on a new port).
 */
export const orchsUpAt = (evs: readonly Indexed[], t: number): Map<string, string> => {
  // Pass orchTimeline(evs) rather than the whole log where this is called per node.
  const up = new Map<string, string>()
  for (const { e } of evs) {
    if (e.t > t) break
    if (e.orch === undefined) continue
    if (e.kind === 'orch.ready') up.set(e.orch, e.data.client)
    else if (e.kind === 'orch.down') up.delete(e.orch)
  }
  return up
}

/** Client address from the orchestrator's latest `orch.ready` before position `before`, even if it went down since. */
export const addressBefore = (evs: readonly Indexed[], orch: string, before: number): string | undefined => {
  let addr: string | undefined
  for (let k = 0; k < before && k < evs.length; k++) {
    const e = evs[k]?.e
    if (e?.kind === 'orch.ready' && e.orch === orch) addr = e.data.client
  }
  return addr
}

/** First event after position `after` (exclusive) matching `pred`, or undefined. */
export const firstAfter = (evs: readonly Indexed[], after: number, pred: (e: SimEvent) => boolean): Indexed | undefined => {
  for (let k = after + 1; k < evs.length; k++) {
    const x = evs[k]
    if (x !== undefined && pred(x.e)) return x
  }
  return undefined
}

/** Duration from `from` to the event's time, or null when there is no event. */
export const since = (x: Indexed | undefined, from: number): number | null => (x === undefined ? null : x.e.t - from)

/** Each node's events in recorded order, so per-node look-ups never scan the whole log. */
export const indexByNode = (evs: readonly Indexed[]): Map<string, Indexed[]> => {
  const by = new Map<string, Indexed[]>()
  for (const x of evs) {
    if (x.e.node === undefined) continue
    let list = by.get(x.e.node)
    if (!list) by.set(x.e.node, (list = []))
    list.push(x)
  }
  return by
}

/** First of `list` (ordered by i) after position `after` that matches: a binary search to the
 *  position, then a scan of that node's events only. */
export const firstIn = (list: readonly Indexed[], after: number, pred: (e: SimEvent) => boolean): Indexed | undefined => {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((list[mid] as Indexed).i <= after) lo = mid + 1
    else hi = mid
  }
  for (let k = lo; k < list.length; k++) if (pred((list[k] as Indexed).e)) return list[k]
  return undefined
}

/** The orchestrators' ready/down events only: small, so per-node look-ups of who was up are cheap. */
export const orchTimeline = (evs: readonly Indexed[]): Indexed[] =>
  evs.filter((x) => x.e.orch !== undefined && x.e.node === undefined && (x.e.kind === 'orch.ready' || x.e.kind === 'orch.down'))
