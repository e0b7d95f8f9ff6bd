import type { TopLevelSpec } from 'vega-lite'
import type { SimEvent } from '../../core/events.ts'
import { initialConnection, nextConnection, type ConnectionPhase, type NodeConnection } from '../../core/node-state.ts'
import { faultWindows } from '../../metrics/fault-windows.ts'
import { vegaLiteToSvg } from './vega-svg.ts'

/**
 * The per-node connection-state timeline: each row the node's connection phase over time
 * (core/node-state.ts: connecting, connected, disconnected, closed; `node.stopped` ends the
 * row), with the run's fault windows (sim/metrics/fault-windows.ts) drawn over it.
 */
export type NodeState = Exclude<ConnectionPhase, 'stopped'>
export const NODE_STATES: readonly NodeState[] = ['connecting', 'connected', 'disconnected', 'closed']
export const STATE_COLORS: Record<NodeState, string> = { connecting: '#c9c9c9', connected: '#3a9a48', disconnected: '#e45756', closed: '#222222' }
export const FAULT_COLOR = '#6f4fc9'

export interface Segment {
  node: string
  state: NodeState
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
}

/** At most this many node rows are drawn; more nodes are sampled evenly. */
export const MAX_TIMELINE_NODES = 300
/** the narrowest a state segment is drawn, in pixels */
const MIN_PX = 2

/** The run's end: the last event (or `durationMs` when later). */
export const runEnd = (events: readonly SimEvent[], durationMs?: number): number =>
  // A loop, not Math.max(...): a large run has more events than the stack has room for arguments.
  events.reduce((m, e) => (e.t > m ? e.t : m), Math.max(durationMs ?? 0, 0))

/**
 * Nodes in start order and their state segments (adjacent equal states merged), from the same
 * reducer as the live state and the failover metrics (core/node-state.ts).
 */
export const nodeSegments = (events: readonly SimEvent[], end: number): { nodes: string[]; segments: Segment[] } => {
  const sorted = [...events].sort((a, b) => a.t - b.t)
  const open = new Map<string, { conn: NodeConnection; start: number }>()
  const nodes: string[] = []
  const segments: Segment[] = []
  const close = (node: string, cur: { conn: NodeConnection; start: number }, t: number) => {
    if (cur.conn.phase !== 'stopped' && t > cur.start) segments.push({ node, state: cur.conn.phase, start: cur.start, end: t })
  }
  for (const e of sorted) {
    if (e.node === undefined || !e.kind.startsWith('node.')) continue
    let cur = open.get(e.node)
    if (cur === undefined) {
      nodes.push(e.node)
      // a row starts at the node's start (a row whose first event is another draws from there)
      cur = { conn: initialConnection(), start: e.t }
      open.set(e.node, cur)
    }
    const next = nextConnection(cur.conn, e)
    if (next.phase === cur.conn.phase) {
      cur.conn = next
      continue
    }
    close(e.node, cur, e.t)
    open.set(e.node, { conn: next, start: e.t })
  }
  for (const node of nodes) close(node, open.get(node) as { conn: NodeConnection; start: number }, end)
  return { nodes, segments }
}

/** Fault windows (sim/metrics/fault-windows.ts) with their label (`kill orch-0`); one never ended runs to `end`. */
export const faultBands = (events: readonly SimEvent[], end: number): FaultBand[] =>
  faultWindows(events).map((w) => ({
    start: w.start,
    end: w.endedBy === 'run-end' ? Math.max(end, w.end) : w.end,
    label: `${w.type} ${w.target}`.trim(),
    healed: w.healed,
  }))

/** `max` items evenly spread over `items` (first and last kept), or all when there are few. */
export const sampleEvenly = <T>(items: readonly T[], max: number): T[] => {
  if (items.length <= max) return [...items]
  if (max <= 1) return items.slice(0, max)
  return [...new Set(Array.from({ length: max }, (_, k) => Math.round((k * (items.length - 1)) / (max - 1))))].map((i) => items[i] as T)
}

/** A moment worth a line on the timeline: a `mark` step, an orchestrator joining or going down. */
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
  return events.flatMap((e): Moment[] => {
    if (e.kind === 'mark') return [{ t: e.t, label: String(e.data?.['name'] ?? 'mark') }]
    if (e.kind === 'orch.start' && e.data?.['joined'] === true) return [{ t: e.t, label: `${e.orch ?? 'orchestrator'} joins` }]
    if (e.kind === 'orch.down' && !faults.some((f) => f.orch === e.orch && Math.abs(f.t - e.t) < 1000))
      return [{ t: e.t, label: `${e.orch ?? 'orchestrator'} down` }]
    return []
  })
}

/** Label rows so that labels (about 6 px a character) do not overlap: y offsets in pixels. */
const stack = (items: readonly { x: number; label: string }[], rowHeight: number, maxRows = 4): number[] => {
  const ends: number[] = []
  return items.map((it) => {
    let row = ends.findIndex((end) => end < it.x)
    if (row === -1) row = ends.length < maxRows ? ends.length : ends.length - 1
    ends[row] = it.x + 6 * it.label.length + 8
    return row * rowHeight
  })
}

export interface TimelineData {
  /** rows drawn */
  nodes: string[]
  /** nodes in the run */
  totalNodes: number
  segments: Segment[]
  faults: FaultBand[]
  moments: Moment[]
  end: number
}

export const timelineData = (events: readonly SimEvent[], durationMs?: number, max = MAX_TIMELINE_NODES): TimelineData => {
  const end = runEnd(events, durationMs)
  const { nodes, segments } = nodeSegments(events, end)
  const shown = sampleEvenly(nodes, max)
  const keep = new Set(shown)
  return {
    nodes: shown,
    totalNodes: nodes.length,
    segments: segments.filter((s) => keep.has(s.node)),
    faults: faultBands(events, end),
    moments: moments(events),
    end,
  }
}

export const timelineSpec = (d: TimelineData, width = 1240): TopLevelSpec => {
  const step = Math.max(2, Math.min(14, Math.floor(900 / Math.max(1, d.nodes.length))))
  const labels = d.nodes.length <= 60
  const x = { type: 'quantitative' as const, scale: { domain: [0, d.end / 1000], nice: false, zero: true } }
  // a disconnection of 50 ms in a 60 s run is narrower than a pixel: draw every segment at least MIN_PX wide
  const minS = (MIN_PX * d.end) / 1000 / width
  const segs = d.segments.map((s) => ({ node: s.node, state: s.state, t0: s.start / 1000, t1: Math.max(s.end / 1000, s.start / 1000 + minS) }))
  const faults = d.faults.map((f) => ({ t0: f.start / 1000, t1: f.end / 1000, label: `fault: ${f.label}${f.healed ? '' : ' (not healed)'}` }))
  const layers: unknown[] = [
    {
      data: { values: segs },
      mark: { type: 'rect', tooltip: false },
      encoding: {
        x: { field: 't0', ...x, title: 's since run start' },
        x2: { field: 't1' },
        y: {
          field: 'node',
          type: 'nominal',
          sort: d.nodes,
          scale: { paddingInner: step >= 6 ? 0.15 : 0 },
          title: labels ? null : `${d.nodes.length} of ${d.totalNodes} nodes`,
          axis: labels ? { labelFontSize: 9 } : { labels: false, ticks: false },
        },
        color: { field: 'state', type: 'nominal', scale: { domain: [...NODE_STATES], range: NODE_STATES.map((s) => STATE_COLORS[s]) }, legend: null },
      },
    },
  ]
  if (d.moments.length > 0) {
    const sorted = [...d.moments].sort((a, b) => a.t - b.t)
    const ys = stack(
      sorted.map((m) => ({ x: (m.t / Math.max(1, d.end)) * width, label: m.label })),
      11,
    )
    const ms = sorted.map((m, k) => ({ t: m.t / 1000, label: m.label, y: 3 + (ys[k] ?? 0) }))
    layers.push({
      name: 'moment',
      data: { values: ms },
      mark: { type: 'rule', color: '#555', strokeDash: [3, 3] },
      encoding: { x: { field: 't', ...x } },
    })
    // one text layer per label row: a pixel `y` per datum would make y continuous for every layer
    for (const [row, y] of [...new Set(ms.map((m) => m.y))].entries()) {
      layers.push({
        // layer names become data set names in vega: one per row
        name: `moment_label_${row}`,
        data: { values: ms.filter((m) => m.y === y) },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#222', fontSize: 10 },
        encoding: { x: { field: 't', ...x }, y: { value: y }, text: { field: 'label' } },
      })
    }
  }
  if (faults.length > 0) {
    layers.push(
      {
        name: 'fault_window',
        data: { values: faults },
        mark: { type: 'rect', color: FAULT_COLOR, opacity: 0.22 },
        encoding: { x: { field: 't0', ...x }, x2: { field: 't1' } },
      },
      {
        name: 'fault_start',
        data: { values: faults },
        mark: { type: 'rule', color: FAULT_COLOR, strokeWidth: 1.5 },
        encoding: { x: { field: 't0', ...x } },
      },
      {
        name: 'fault_label',
        data: { values: faults },
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, dy: -2, color: FAULT_COLOR, fontSize: 11, fontWeight: 'bold' },
        encoding: { x: { field: 't0', ...x }, y: { value: 0 }, text: { field: 'label' } },
      },
    )
  }
  return {
    width,
    height: { step },
    padding: { top: 16, left: 5, right: 5, bottom: 5 },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec
}

export const timelineSvg = (d: TimelineData, width?: number): Promise<string> => vegaLiteToSvg(timelineSpec(d, width), 'timeline')
