import type { TopLevelSpec } from 'vega-lite'
import type { SimEvent } from '../../core/events.ts'
import { NODE_STATES, orchColor, STATE_COLORS } from './colors.ts'
import { faultLayers, momentLayers } from './fault-layers.ts'
import {
  faultBands,
  moments,
  nodeSegments,
  orchestratorsOf,
  orchOrder,
  runEnd,
  sampleEvenly,
  type FaultBand,
  type Moment,
  type Segment,
} from './segments.ts'
import { vegaLiteToSvg } from './vega-svg.ts'

/**
 * The per-node timeline: a row per node, coloured by the orchestrator it is attached to while
 * connected (grey while connecting, red while disconnected, black once closed), so a failover
 * reads as rows changing colour. Rows are in blocks of (group, orchestrator the node was on
 * when the first fault hit), in start order within a block; past MAX_TIMELINE_NODES rows each
 * block is sampled evenly in proportion, and its label says how many of how many are drawn.
 */
export { faultBands, moments, nodeSegments, runEnd, sampleEvenly, type FaultBand, type Moment, type Segment } from './segments.ts'
export type { NodeState } from './segments.ts'
export { FAULT_COLOR, NODE_STATES, STATE_COLORS } from './colors.ts'

/** At most this many node rows are drawn; more nodes are sampled evenly within each block. */
export const MAX_TIMELINE_NODES = 300
/** the narrowest a segment is drawn, in pixels */
const MIN_PX = 2

export interface RowBlock {
  /** `compute · orch-0` */
  label: string
  /** its first row drawn (the axis label goes there) */
  first: string
  shown: number
  total: number
}

export interface TimelineData {
  /** rows drawn, in order */
  nodes: string[]
  /** nodes in the run */
  totalNodes: number
  blocks: RowBlock[]
  segments: Segment[]
  faults: FaultBand[]
  moments: Moment[]
  /** every orchestrator of the run, in colour order */
  orchestrators: string[]
  end: number
}

/** Where a node was when `t` came: the orchestrator its segment then is attached to, else its state. */
const placeAt = (segs: readonly Segment[], t: number): string => {
  const s = segs.find((x) => x.start <= t && t < x.end) ?? segs.at(-1)
  return s === undefined ? 'not started' : s.state === 'connected' ? (s.orch ?? 'unknown') : s.state
}

/** Per block, rows in proportion to its size (at least one each), adding up to at most `max` (plus one per tiny block). */
const quotas = (sizes: readonly number[], max: number): number[] => {
  const total = sizes.reduce((a, b) => a + b, 0)
  if (total <= max) return [...sizes]
  return sizes.map((n) => Math.min(n, Math.max(1, Math.floor((n * max) / total))))
}

export interface TimelineRows {
  /** only these nodes (a zoom: the nodes a fault hit) */
  only?: ReadonlySet<string>
  /** blocks by where nodes were at this time (default: the first fault, else the end) */
  blockAt?: number
}

export const timelineData = (events: readonly SimEvent[], durationMs?: number, max = MAX_TIMELINE_NODES, rows: TimelineRows = {}): TimelineData => {
  const end = runEnd(events, durationMs)
  const all = nodeSegments(events, end)
  const nodes = rows.only ? all.nodes.filter((n) => rows.only?.has(n)) : all.nodes
  const segments = rows.only ? all.segments.filter((s) => rows.only?.has(s.node)) : all.segments
  const faults = faultBands(events, end)
  const orchestrators = orchOrder([...orchestratorsOf(events), ...segments.flatMap((s) => (s.orch === null ? [] : [s.orch]))])
  const byNode = new Map<string, Segment[]>()
  for (const s of segments) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s])
  const at = rows.blockAt ?? faults[0]?.start ?? end
  const blockOf = new Map<string, string[]>()
  for (const n of nodes) {
    const segs = byNode.get(n) ?? []
    const key = [segs[0]?.group ?? '', placeAt(segs, at)].filter(Boolean).join(' · ')
    blockOf.set(key, [...(blockOf.get(key) ?? []), n])
  }
  // blocks: by group as first seen, then orchestrators in colour order, then states
  const rank = (k: string) => {
    const place = k.split(' · ').at(-1) as string
    const i = orchestrators.indexOf(place)
    return i === -1 ? orchestrators.length + NODE_STATES.indexOf(place as never) : i
  }
  const groups = [...new Set([...blockOf.keys()].map((k) => k.split(' · ').slice(0, -1).join(' · ')))]
  const keys = [...blockOf.keys()].sort(
    (a, b) => groups.indexOf(a.split(' · ').slice(0, -1).join(' · ')) - groups.indexOf(b.split(' · ').slice(0, -1).join(' · ')) || rank(a) - rank(b),
  )
  const q = quotas(
    keys.map((k) => (blockOf.get(k) as string[]).length),
    max,
  )
  const shown: string[] = []
  const blocks: RowBlock[] = []
  for (const [i, k] of keys.entries()) {
    const all = blockOf.get(k) as string[]
    const rows = sampleEvenly(all, q[i] as number)
    blocks.push({ label: k, first: rows[0] as string, shown: rows.length, total: all.length })
    shown.push(...rows)
  }
  const keep = new Set(shown)
  return {
    nodes: shown,
    totalNodes: nodes.length,
    blocks,
    segments: segments.filter((s) => keep.has(s.node)),
    faults,
    moments: moments(events),
    orchestrators,
    end,
  }
}

/** The colour of a segment: its orchestrator's while connected, its state's otherwise. */
export const segmentColors = (orchestrators: readonly string[]): { domain: string[]; range: string[] } => {
  const states = NODE_STATES.filter((s) => s !== 'connected')
  return {
    domain: [...orchestrators, ...states, 'connected'],
    range: [...orchestrators.map((_, k) => orchColor(k)), ...states.map((s) => STATE_COLORS[s]), STATE_COLORS.connected],
  }
}

export interface TimelineView {
  /** x range in ms (default: the whole run) */
  from?: number
  to?: number
  width?: number
  /** names vega's data sets; unique per page */
  id?: string
}

export const timelineSpec = (d: TimelineData, view: TimelineView = {}): TopLevelSpec => {
  const width = view.width ?? 1240
  const from = view.from ?? 0
  const to = view.to ?? d.end
  const step = Math.max(2, Math.min(14, Math.floor(900 / Math.max(1, d.nodes.length))))
  const x = { type: 'quantitative' as const, scale: { domain: [from / 1000, to / 1000], nice: false, zero: from === 0 } }
  // a disconnection of 50 ms in a 60 s run is narrower than a pixel: draw every segment at least MIN_PX wide
  const minS = (MIN_PX * (to - from)) / 1000 / width
  const segs = d.segments
    .filter((s) => s.end > from && s.start < to)
    .map((s) => ({
      node: s.node,
      c: s.state === 'connected' ? (s.orch ?? 'connected') : s.state,
      t0: Math.max(s.start, from) / 1000,
      t1: Math.max(Math.min(s.end, to) / 1000, Math.max(s.start, from) / 1000 + minS),
    }))
  const labels = d.nodes.length <= 40
  const blockLabel = (b: RowBlock) => `${b.label} (${b.shown < b.total ? `${b.shown} of ${b.total}` : b.total})`
  // the axis shows each block's label at its first row only
  const labelExpr = d.blocks.reduceRight((acc, b) => `datum.value === ${JSON.stringify(b.first)} ? ${JSON.stringify(blockLabel(b))} : ${acc}`, "''")
  const colors = segmentColors(d.orchestrators)
  const layers: unknown[] = [
    {
      name: 'segment',
      data: { values: segs },
      mark: { type: 'rect', tooltip: false, clip: true },
      encoding: {
        x: { field: 't0', ...x, title: 's since run start' },
        x2: { field: 't1' },
        y: {
          field: 'node',
          type: 'nominal',
          sort: d.nodes,
          scale: { domain: d.nodes, paddingInner: step >= 6 ? 0.15 : 0 },
          title: null,
          axis: labels
            ? { labelFontSize: 9 }
            : { values: d.blocks.map((b) => b.first), labelExpr, labelFontSize: 10, labelBaseline: 'top', ticks: true, tickSize: 4, labelLimit: 260 },
        },
        color: { field: 'c', type: 'nominal', scale: colors, legend: null },
      },
    },
    ...faultLayers(
      d.faults.filter((f) => f.end > from && f.start < to),
      x,
      width,
      to - from,
      { shade: 0.06, endRule: true, name: `${view.id ?? 'tl'}_fault`, from, to },
    ),
    ...momentLayers(
      d.moments.filter((m) => m.t >= from && m.t <= to),
      x,
      width,
      to - from,
      `${view.id ?? 'tl'}_moment`,
    ),
  ]
  return {
    width,
    height: { step },
    padding: { top: 18, left: 5, right: 5, bottom: 5 },
    layer: layers,
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec
}

export const timelineSvg = (d: TimelineData, view: TimelineView = {}): Promise<string> => vegaLiteToSvg(timelineSpec(d, view), view.id ?? 'timeline')
