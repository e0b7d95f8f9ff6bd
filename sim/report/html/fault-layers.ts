import { FAULT_COLOR } from './colors.ts'
import type { FaultBand, Moment } from './segments.ts'

/**
 * The vega-lite layers every time chart of a report draws over its data: fault windows (a
 * light band from apply to heal, a solid rule at the fault, its label on top) and moments (a
 * dashed rule, the label stacked so that close ones do not overlap). `x` is the chart's x
 * encoding (field names `t0`, `t1` and `t` are the layers' own; times in seconds).
 */
export interface XScale {
  type: 'quantitative'
  scale: Record<string, unknown>
}

/** Label rows so that labels (about 6 px a character) do not overlap: y offsets in pixels. */
export const stackLabels = (items: readonly { x: number; label: string }[], rowHeight: number, maxRows = 4): number[] => {
  const ends: number[] = []
  return items.map((it) => {
    let row = ends.findIndex((end) => end < it.x)
    if (row === -1) row = ends.length < maxRows ? ends.length : ends.length - 1
    ends[row] = it.x + 6 * it.label.length + 8
    return row * rowHeight
  })
}

export interface FaultLayerOptions {
  /** opacity of the window's band; 0 draws none (the timeline marks windows by rules only) */
  shade?: number
  /** a rule at the window's end too (dashed) */
  endRule?: boolean
  /** pixel y of the labels (default 0: the top edge, text above it) */
  labelY?: number
  /** prefix of the layers' names (names become vega data set names: unique per chart) */
  name?: string
  /** the chart's x range in ms, when not the whole run (a zoom): windows are cut to it, labels kept only for faults that start in it */
  from?: number
  to?: number
}

export const faultLayers = (faults: readonly FaultBand[], x: XScale, width: number, end: number, o: FaultLayerOptions = {}): unknown[] => {
  if (faults.length === 0) return []
  const name = o.name ?? 'fault'
  const rows = stackLabels(
    faults.map((f) => ({ x: (f.start / Math.max(1, end)) * width, label: f.label })),
    12,
    3,
  )
  const from = o.from ?? Number.NEGATIVE_INFINITY
  const to = o.to ?? Number.POSITIVE_INFINITY
  const values = faults.map((f, k) => ({
    t0: Math.max(f.start, from) / 1000,
    t1: Math.min(f.end, to) / 1000,
    inside: f.start >= from,
    ends: f.healed && f.end <= to,
    label: `${f.label}${f.healed ? '' : ' (not healed)'}`,
    y: (o.labelY ?? 0) - (rows[k] ?? 0),
  }))
  const layers: unknown[] = []
  if ((o.shade ?? 0.12) > 0)
    layers.push({
      name: `${name}_window`,
      data: { values },
      mark: { type: 'rect', color: FAULT_COLOR, opacity: o.shade ?? 0.12 },
      encoding: { x: { field: 't0', ...x }, x2: { field: 't1' } },
    })
  layers.push({
    name: `${name}_start`,
    data: { values: values.filter((v) => v.inside) },
    mark: { type: 'rule', color: FAULT_COLOR, strokeWidth: 1.5 },
    encoding: { x: { field: 't0', ...x } },
  })
  if (o.endRule)
    layers.push({
      name: `${name}_end`,
      data: { values: values.filter((v) => v.ends) },
      mark: { type: 'rule', color: FAULT_COLOR, strokeWidth: 1, strokeDash: [4, 3] },
      encoding: { x: { field: 't1', ...x } },
    })
  // one text layer per label row: a pixel `y` per datum would make y continuous for every layer
  const labelled = values.filter((v) => v.inside)
  for (const [row, y] of [...new Set(labelled.map((v) => v.y))].entries()) {
    layers.push({
      name: `${name}_label_${row}`,
      data: { values: labelled.filter((v) => v.y === y) },
      mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 3, dy: -2, color: FAULT_COLOR, fontSize: 11, fontWeight: 'bold' },
      encoding: { x: { field: 't0', ...x }, y: { value: y }, text: { field: 'label' } },
    })
  }
  return layers
}

/** Dashed rules at `moments` with their labels stacked from the top of the plot downwards. */
export const momentLayers = (moments: readonly Moment[], x: XScale, width: number, end: number, name = 'moment'): unknown[] => {
  if (moments.length === 0) return []
  const sorted = [...moments].sort((a, b) => a.t - b.t)
  const ys = stackLabels(
    sorted.map((m) => ({ x: (m.t / Math.max(1, end)) * width, label: m.label })),
    11,
  )
  const ms = sorted.map((m, k) => ({ t: m.t / 1000, label: m.label, y: 3 + (ys[k] ?? 0) }))
  const layers: unknown[] = [
    { name, data: { values: ms }, mark: { type: 'rule', color: '#555', strokeDash: [3, 3] }, encoding: { x: { field: 't', ...x } } },
  ]
  for (const [row, y] of [...new Set(ms.map((m) => m.y))].entries()) {
    layers.push({
      name: `${name}_label_${row}`,
      data: { values: ms.filter((m) => m.y === y) },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, color: '#222', fontSize: 10 },
      encoding: { x: { field: 't', ...x }, y: { value: y }, text: { field: 'label' } },
    })
  }
  return layers
}
