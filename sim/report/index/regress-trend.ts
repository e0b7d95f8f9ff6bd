import type { TopLevelSpec } from 'vega-lite'
import { CompareSettingsSchema, type CompareSettings } from '../../config/compare-settings.ts'
import { vegaLiteToSvg } from '../html/vega-svg.ts'
import type { RegressEntry, RegressRow } from './scan-reports.ts'

/**
 * The trend of each gated metric across regress runs: per (scenario, metric), the candidate's
 * gated percentiles (p50, p95 by default) run after run, the baseline's as a dashed line, and
 * the regression threshold as a red dotted line: the baseline plus the metric's allowance, the
 * gate's minimum detectable change that regress.csv records per row (`mde_p50_ms`,
 * `mde_p95_ms`; sim/compare/tolerance.ts). A metric creeping towards its threshold shows here
 * before a run crosses it.
 *
 * The line is approximate: the gate compares the mean over runs of each run's p50 (p95) with
 * the baseline's mean plus the allowance (docs/reports.md), while regress.csv keeps the
 * percentiles of each side's runs pooled (`a_p50`, `b_p50`...), which are what is drawn; the two
 * are close when runs are alike. Crossing is not the verdict either: the test on the samples
 * must agree (the red crosses are the verdicts). Regress folders written before the allowance
 * was recorded, and percentiles it is not recorded for (p90, p99), get no threshold.
 */
export interface TrendPoint {
  run: string
  /** `p50`, `p95`... */
  stat: string
  value: number
  regressed: boolean
}

export interface TrendPanel {
  scenario: string
  metric: string
  points: TrendPoint[]
  /** per stat, the latest baseline value and its threshold (null when no allowance was recorded) */
  lines: { stat: string; baseline: number; threshold: number | null }[]
}

/** The percentiles judged: the recorded settings' (regress.json), else those given. */
const percentilesOf = (raw: unknown, fallback: CompareSettings | undefined): readonly string[] | undefined => {
  const r = CompareSettingsSchema.safeParse(raw)
  return r.success && raw !== undefined && raw !== null ? r.data.percentiles : fallback?.percentiles
}

/** The allowance regress.csv recorded for a percentile of a row (only p50 and p95 have one). */
const allowanceOf = (r: RegressRow, stat: string): number | null => (stat === 'p50' ? r.mde_p50_ms : stat === 'p95' ? r.mde_p95_ms : null)

/** `20261202-013608-2eb05f` -> `12-02 01:36` */
export const shortId = (id: string): string => {
  const m = /^\d{4}(\d\d)(\d\d)-(\d\d)(\d\d)/.exec(id)
  return m ? `${m[1]}-${m[2]} ${m[3]}:${m[4]}` : id
}

export const trendPanels = (runs: readonly RegressEntry[], fallback?: CompareSettings): TrendPanel[] => {
  const panels = new Map<string, TrendPanel>()
  for (const run of runs) {
    const stats = percentilesOf(run.settings, fallback) ?? ['p50', 'p95']
    for (const r of run.rows) {
      if (r.group !== 'all') continue
      const key = `${r.scenario}\u0000${r.metric}`
      const p = panels.get(key) ?? { scenario: r.scenario, metric: r.metric, points: [], lines: [] }
      for (const stat of stats) {
        const b = r[`b_${stat}` as 'b_p50']
        const a = r[`a_${stat}` as 'a_p50']
        if (b === null || b === undefined) continue
        p.points.push({ run: shortId(run.id), stat, value: b, regressed: r.verdict === 'regressed' })
        if (a !== null && a !== undefined) {
          const allowance = allowanceOf(r, stat)
          const threshold = allowance === null ? null : Math.round((a + allowance) * 1000) / 1000
          p.lines = [...p.lines.filter((l) => l.stat !== stat), { stat, baseline: a, threshold }]
        }
      }
      if (p.points.length > 0) panels.set(key, p)
    }
  }
  return [...panels.values()]
}

const STAT_COLORS = ['#4c78a8', '#f58518', '#54a24b', '#b279a2']

/** `k` makes the layers' names unique: vega names its data sets after them, and panels sharing a name would share data. */
const panelSpec = (p: TrendPanel, runs: readonly string[], stats: readonly string[], k: number): Record<string, unknown> => {
  const x = { field: 'run', type: 'ordinal', sort: runs, scale: { domain: runs }, title: null, axis: { labelAngle: -30, labelFontSize: 9 } }
  const color = { field: 'stat', type: 'nominal', title: null, scale: { domain: stats, range: STAT_COLORS.slice(0, stats.length) } }
  const lines = p.lines.flatMap((l) => [
    { stat: l.stat, what: 'baseline', y: l.baseline, label: `baseline ${l.stat}` },
    ...(l.threshold === null ? [] : [{ stat: l.stat, what: 'threshold', y: l.threshold, label: `${l.stat} limit`, run: runs.at(-1) }]),
  ])
  return {
    title: { text: p.metric, subtitle: 'ms', subtitleFontSize: 10, subtitleColor: '#555' },
    width: 300,
    height: 140,
    layer: [
      {
        name: `baseline_${k}`,
        data: { values: lines.filter((l) => l.what === 'baseline') },
        mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1 },
        encoding: { y: { field: 'y', type: 'quantitative' }, color },
      },
      {
        name: `threshold_${k}`,
        data: { values: lines.filter((l) => l.what === 'threshold') },
        mark: { type: 'rule', color: '#c0221a', strokeDash: [2, 2], strokeWidth: 1.2 },
        encoding: { y: { field: 'y', type: 'quantitative' } },
      },
      {
        name: `threshold_label_${k}`,
        data: { values: lines.filter((l) => l.what === 'threshold') },
        mark: { type: 'text', color: '#c0221a', align: 'right', baseline: 'bottom', dy: -2, fontSize: 9 },
        encoding: { x, y: { field: 'y', type: 'quantitative' }, text: { field: 'label' } },
      },
      {
        name: `trend_${k}`,
        data: { values: p.points },
        mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 1.8 },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: true } },
          color: { ...color, legend: { orient: 'top' } },
        },
      },
      {
        name: `regressed_${k}`,
        data: { values: p.points.filter((q) => q.regressed) },
        mark: { type: 'point', shape: 'cross', size: 90, color: '#c0221a', strokeWidth: 2 },
        encoding: { x, y: { field: 'value', type: 'quantitative' } },
      },
    ],
  }
}

/** One chart per scenario: a panel per gated metric. */
export const trendSvg = (panels: readonly TrendPanel[], runs: readonly string[], id: string): Promise<string> => {
  const stats = [...new Set(panels.flatMap((p) => p.points.map((q) => q.stat)))]
  const spec = { columns: 3, spacing: 18, concat: panels.map((p, k) => panelSpec(p, runs, stats, k)) }
  return vegaLiteToSvg(spec as unknown as TopLevelSpec, id)
}
