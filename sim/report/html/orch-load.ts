import type { TopLevelSpec } from 'vega-lite'
import { orchColor, UNATTACHED_COLOR } from './colors.ts'
import { faultLayers, momentLayers } from './fault-layers.ts'
import { orchOrder, type FaultBand, type Moment, type Segment } from './segments.ts'
import { vegaLiteToSvg } from './vega-svg.ts'

/**
 * Nodes per orchestrator over time: for each orchestrator, how many nodes were attached to it
 * (node-state reducer, via the timeline's segments: sim/report/html/segments.ts), plus the
 * nodes attached to none (starting, or between a disconnect and a reconnect). A kill reads as
 * one line dropping to 0 while the others rise: where the nodes went, and how quickly.
 */
export const UNATTACHED = 'no orchestrator'

export interface LoadPoint {
  /** an orchestrator's name, or UNATTACHED */
  series: string
  /** ms since run start */
  t: number
  nodes: number
}

export interface OrchLoad {
  /** orchestrators in order (their colours follow this order) */
  orchestrators: string[]
  points: LoadPoint[]
  /** the largest number attached to one orchestrator at once */
  peak: number
  end: number
}

/** More change points than this per line are resampled to BINS evenly spaced times (a 10,000-node run). */
export const MAX_EXACT_POINTS = 1200
export const BINS = 600

/**
 * Step series from every segment (not a sample: the counts are of all nodes). `orchestrators`
 * lists those to draw even when no node was ever on them (a joined orchestrator still empty).
 */
export const orchLoad = (segments: readonly Segment[], end: number, orchestrators: readonly string[] = []): OrchLoad => {
  const key = (s: Segment): string | null => (s.state === 'connected' ? (s.orch ?? UNATTACHED) : s.state === 'closed' ? null : UNATTACHED)
  const deltas = new Map<string, { t: number; d: number }[]>()
  for (const s of segments) {
    const k = key(s)
    if (k === null) continue
    const list = deltas.get(k) ?? []
    list.push({ t: s.start, d: 1 })
    // a segment the end of the run closes is not a departure: the line stays up to the edge
    if (s.end < end) list.push({ t: s.end, d: -1 })
    deltas.set(k, list)
  }
  const orchs = orchOrder([...orchestrators, ...[...deltas.keys()].filter((k) => k !== UNATTACHED)])
  const points: LoadPoint[] = []
  let peak = 0
  for (const series of [...orchs, UNATTACHED]) {
    const list = (deltas.get(series) ?? []).sort((a, b) => a.t - b.t || a.d - b.d)
    // the count after every distinct time (ends before starts at the same t: a move is not a double count)
    const steps: { t: number; n: number }[] = [{ t: 0, n: 0 }]
    let n = 0
    for (let k = 0; k < list.length; k++) {
      const x = list[k] as { t: number; d: number }
      n += x.d
      const next = list[k + 1]
      if (next === undefined || next.t !== x.t) steps.push({ t: Math.min(x.t, end), n })
    }
    if (series !== UNATTACHED) for (const s of steps) if (s.n > peak) peak = s.n
    const kept = steps.length <= MAX_EXACT_POINTS ? steps : resample(steps, end)
    if (kept.at(-1)?.t !== end) kept.push({ t: end, n: kept.at(-1)?.n ?? 0 })
    for (const s of kept) points.push({ series, t: s.t, nodes: s.n })
  }
  return { orchestrators: orchs, points, peak, end }
}

/** The count at the end of each of BINS equal time bins: a kill's drop stays a drop, a wave of starts a ramp. */
const resample = (steps: readonly { t: number; n: number }[], end: number): { t: number; n: number }[] => {
  const out: { t: number; n: number }[] = [{ t: 0, n: 0 }]
  let k = 0
  let n = 0
  for (let b = 1; b <= BINS; b++) {
    const t = (b * end) / BINS
    while (k < steps.length && (steps[k] as { t: number }).t <= t) n = (steps[k++] as { n: number }).n
    out.push({ t, n })
  }
  return out
}

/** Line widths from wide (drawn first, underneath) to narrow. */
const widths = (n: number): number[] => Array.from({ length: n }, (_, k) => (n === 1 ? 2.5 : 7 - (k * 5) / (n - 1)))

export const orchLoadSpec = (load: OrchLoad, faults: readonly FaultBand[], moments: readonly Moment[], width = 1240): TopLevelSpec => {
  const x = { type: 'quantitative' as const, scale: { domain: [0, load.end / 1000], nice: false, zero: true } }
  const series = [...load.orchestrators, UNATTACHED]
  const values = load.points.map((p) => ({ series: p.series, t: p.t / 1000, nodes: p.nodes }))
  const layers: unknown[] = [
    ...faultLayers(faults, x, width, load.end, { shade: 0.1, endRule: true }),
    ...momentLayers(moments, x, width, load.end),
    {
      name: 'orch_line',
      data: { values: values.filter((v) => v.series !== UNATTACHED) },
      mark: { type: 'line', interpolate: 'step-after' },
      encoding: {
        x: { field: 't', ...x, title: 's since run start' },
        y: { field: 'nodes', type: 'quantitative', title: 'nodes attached', scale: { domainMin: 0, nice: true } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          sort: series,
          scale: { domain: series, range: [...load.orchestrators.map((_, k) => orchColor(k)), UNATTACHED_COLOR] },
          legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 3 },
        },
        // equal counts draw lines on top of each other: each line narrower than the one before,
        // so three orchestrators at 10 nodes each read as three nested stripes, not one line
        strokeWidth: {
          field: 'series',
          type: 'nominal',
          scale: { domain: load.orchestrators, range: widths(load.orchestrators.length) },
          legend: null,
        },
      },
    },
    {
      name: 'unattached_line',
      data: { values: values.filter((v) => v.series === UNATTACHED) },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.4, strokeDash: [4, 3] },
      encoding: { x: { field: 't', ...x }, y: { field: 'nodes', type: 'quantitative' }, color: { field: 'series', type: 'nominal' } },
    },
  ]
  return { width, height: 240, padding: { top: 24, left: 5, right: 5, bottom: 5 }, layer: layers } as TopLevelSpec
}

export const orchLoadSvg = (load: OrchLoad, faults: readonly FaultBand[], moments: readonly Moment[]): Promise<string> =>
  vegaLiteToSvg(orchLoadSpec(load, faults, moments), 'orch-load')
