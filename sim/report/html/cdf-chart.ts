import type { TopLevelSpec } from 'vega-lite'
import { vegaLiteToSvg } from './vega-svg.ts'

/** One line of a CDF plot: a group, a run, a transport, or a side of a compare. */
export interface CdfSeries {
  name: string
  values: readonly number[]
  /** drawn dashed (e.g. the reference side of a compare) */
  dashed?: boolean
}

export interface CdfPoint {
  series: string
  dashed: string
  /** ms */
  x: number
  /** fraction of values <= x */
  p: number
}

/** Points per line at most: enough for a smooth step curve, small enough for thousands of nodes. */
export const MAX_CDF_POINTS = 400

/**
 * The empirical CDF of `values` as step points: (v_(i), (i+1)/n) for the sorted values, from
 * (min, 0). More than `max` values are thinned to evenly spaced ranks, min and max kept.
 */
export const cdfPoints = (values: readonly number[], max = MAX_CDF_POINTS): { x: number; p: number }[] => {
  const xs = [...values].sort((a, b) => a - b)
  const n = xs.length
  if (n === 0) return []
  const idx: number[] = []
  if (n <= max) for (let i = 0; i < n; i++) idx.push(i)
  else for (let k = 0; k < max; k++) idx.push(Math.round((k * (n - 1)) / (max - 1)))
  return [{ x: xs[0] as number, p: 0 }, ...[...new Set(idx)].map((i) => ({ x: xs[i] as number, p: (i + 1) / n }))]
}

export const cdfSpec = (series: readonly CdfSeries[], opts: { width?: number; height?: number; title?: string } = {}): TopLevelSpec => {
  const values: CdfPoint[] = series.flatMap((s) =>
    cdfPoints(s.values).map((pt) => ({ series: s.name, dashed: s.dashed ? 'dashed' : 'solid', ...pt })),
  )
  const anyDashed = series.some((s) => s.dashed)
  const names = series.map((s) => s.name)
  return {
    width: opts.width ?? 560,
    height: opts.height ?? 220,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.8, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: 'ms', scale: { zero: false, nice: true } },
      y: {
        field: 'p',
        type: 'quantitative',
        title: 'fraction of values ≤ x',
        scale: { domain: [0, 1] },
        axis: { format: '.0%', values: [0, 0.25, 0.5, 0.75, 0.9, 1], labelOverlap: false },
      },
      color: {
        field: 'series',
        type: 'nominal',
        sort: names,
        title: null,
        legend: { orient: 'bottom', direction: 'horizontal', columns: 2, labelLimit: 330 },
        scale: { scheme: 'tableau10' },
      },
      ...(anyDashed
        ? {
            strokeDash: {
              field: 'dashed',
              type: 'nominal',
              legend: null,
              scale: {
                domain: ['solid', 'dashed'],
                range: [
                  [1, 0],
                  [5, 3],
                ],
              },
            },
          }
        : {}),
      detail: { field: 'series', type: 'nominal' },
    },
  } as TopLevelSpec
}

/** An inline SVG of the CDFs of `series` (series with no values are left out); `id` is unique in the page. */
export const cdfSvg = (id: string, series: readonly CdfSeries[], opts: { width?: number; height?: number; title?: string } = {}): Promise<string> =>
  vegaLiteToSvg(
    cdfSpec(
      series.filter((s) => s.values.length > 0),
      opts,
    ),
    id,
  )
