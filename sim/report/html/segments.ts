import type { SimEvent } from '../../core/events.ts'
import { initialConnection, nextConnection, type ConnectionPhase, type NodeConnection } from '../../core/node-state.ts'
import { faultWindows } from '../../metrics/fault-windows.ts'

/**
 * What every picture of a run is drawn from: each node's connection over time, folded by the
 * one node-state reducer (sim/core/node-state.ts) so the charts, the live state and the
 * failover metrics can never disagree, with the orchestrator each connected span is attached to
 * (a node's `server` is an orchestrator's client address, `orch.ready` names it), and the
 * fault windows (sim/metrics/fault-windows.ts).
 */
export type NodeState = Exclude<ConnectionPhase, 'stopped'>

export interface Segment {
  node: string
  /** the node's group (from its `node.start`) */
  group: string
  state: NodeState
  /** connected: the orchestrator's name (its address when no `orch.ready` names it); otherwise null */
  orch: string | null
  /** ms since run start */
  start: number
  end: number
}

export interface FaultBand {
  start: number
  end: number
  /** e.g. `kill orch-0` */
  label: string
  /** false: no heal before the end of the run */
  healed: boolean
  /** the fault's id (fault.apply data.id) */
  id: string
}

/** The run's end: the last event (or `durationMs` when later). */
export const runEnd = (events: readonly SimEvent[], durationMs?: number): number =>
  // A loop, not Math.max(...): a large run has more events than the stack has room for arguments.
  events.reduce((m, e) => (e.t > m ? e.t : m), Math.max(durationMs ?? 0, 0))

/** Client address -> orchestrator name, from every `orch.ready` (a restart on the same ports names it again). */
export const orchNames = (events: readonly SimEvent[]): Map<string, string> => {
  const names = new Map<string, string>()
  for (const e of events) if (e.kind === 'orch.ready' && typeof e.data?.client === 'string') names.set(e.data.client, e.orch)
  return names
}

/** Orchestrator names in a stable order: orch-2 before orch-10. */
export const orchOrder = (names: Iterable<string>): string[] => [...new Set(names)].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))

/** Every orchestrator of the run (those that were ever ready), in order. */
export const orchestratorsOf = (events: readonly SimEvent[]): string[] => orchOrder(orchNames(events).values())

interface Open {
  conn: NodeConnection
  start: number
}

/**
 * Nodes in start order and their segments: a new segment whenever the phase or the attached
 * orchestrator changes (a node that moves from orch-0 to orch-1 without a recorded gap still
 * shows the move).
 */
export const nodeSegments = (events: readonly SimEvent[], end: number): { nodes: string[]; segments: Segment[] } => {
  const sorted = [...events].sort((a, b) => a.t - b.t)
  const names = orchNames(events)
  const open = new Map<string, Open>()
  const groups = new Map<string, string>()
  const nodes: string[] = []
  const segments: Segment[] = []
  const orchOf = (c: NodeConnection) => (c.phase === 'connected' && c.server !== null ? (names.get(c.server) ?? c.server) : null)
  const close = (node: string, cur: Open, t: number) => {
    if (cur.conn.phase !== 'stopped' && t > cur.start)
      segments.push({ node, group: groups.get(node) ?? '', state: cur.conn.phase, orch: orchOf(cur.conn), start: cur.start, end: t })
  }
  for (const e of sorted) {
    if (e.node === undefined || !e.kind.startsWith('node.')) continue
    if (e.kind === 'node.start' && !groups.has(e.node)) groups.set(e.node, String(e.data?.group ?? ''))
    let cur = open.get(e.node)
    if (cur === undefined) {
      nodes.push(e.node)
      // a row starts at the node's start (a row whose first event is another draws from there)
      cur = { conn: initialConnection(), start: e.t }
      open.set(e.node, cur)
    }
    const next = nextConnection(cur.conn, e)
    if (next.phase === cur.conn.phase && orchOf(next) === orchOf(cur.conn)) {
      cur.conn = next
      continue
    }
    close(e.node, cur, e.t)
    open.set(e.node, { conn: next, start: e.t })
  }
  for (const node of nodes) close(node, open.get(node) as Open, end)
  return { nodes, segments }
}

/** Fault windows (sim/metrics/fault-windows.ts) with their label (`kill orch-0`); one never ended runs to `end`. */
export const faultBands = (events: readonly SimEvent[], end: number): FaultBand[] =>
  faultWindows(events).map((w) => ({
    start: w.start,
    end: w.endedBy === 'run-end' ? Math.max(end, w.end) : w.end,
    label: `${w.type} ${w.target}`.trim(),
    healed: w.healed,
    id: w.id,
  }))

/** `max` items evenly spread over `items` (first and last kept), or all when there are few. */
export const sampleEvenly = <T>(items: readonly T[], max: number): T[] => {
  if (items.length <= max) return [...items]
  if (max <= 1) return items.slice(0, max)
  return [...new Set(Array.from({ length: max }, (_, k) => Math.round((k * (items.length - 1)) / (max - 1))))].map((i) => items[i] as T)
}

/** A moment worth a line on a chart: a `mark` step, an orchestrator joining or going down. */
export interface Moment {
  t: number
  label: string
}

/**
 * `mark` events, orchestrators added by a `scale` step, and orchestrators going down other than
 * by a fault (a fault's own kill is already the fault window's label).
 */
export const moments = (events: readonly SimEvent[]): Moment[] => {
  const faults = events.filter((e) => e.kind === 'fault.apply')
  // the harness stops every node at the end: the counts' fall to 0 there is that, not a fault
  const stopped = events.find((e) => e.kind === 'node.stopped')
  const end: Moment[] = stopped === undefined ? [] : [{ t: stopped.t, label: 'nodes stopped' }]
  return end.concat(
    events.flatMap((e): Moment[] => {
      if (e.kind === 'mark') return [{ t: e.t, label: String(e.data?.['name'] ?? 'mark') }]
      if (e.kind === 'orch.start' && e.data?.['joined'] === true) return [{ t: e.t, label: `${e.orch ?? 'orchestrator'} joins` }]
      if (e.kind === 'orch.down' && !faults.some((f) => f.orch === e.orch && Math.abs(f.t - e.t) < 1000))
        return [{ t: e.t, label: `${e.orch ?? 'orchestrator'} down` }]
      return []
    }),
  )
}
