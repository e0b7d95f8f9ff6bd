import type { TopLevelSpec } from 'vega-lite'
import { RECOVERY_COLORS, RECOVERY_LABELS, RECOVERY_METRICS } from './colors.ts'
import type { Limit, RecoveryCurve } from './recovery.ts'
import { vegaLiteToSvg } from './vega-svg.ts'

/**
 * Recovery curves: from the moment of a fault (x = 0), the fraction of the nodes it hit that
 * have been detected, reconnected and resumed. A curve that levels off below 100 % is nodes
 * that never got there. An assertion is drawn as a limit: `reconnect p99 <= 2 s` is a rule at
 * 2 s up to 99 % that the reconnected curve must pass to the left of (red label: it failed).
 * A compare draws A dashed and B solid on the same axes.
 */
export interface RecoveryPanel {
  title: string
  subtitle?: string
  curves: RecoveryCurve[]
  limits?: Limit[]
  /** ms from the fault to its heal */
  heal?: number | null
}

/** Points per curve at most (a 10,000-node fault stays a few hundred points). */
const MAX_POINTS = 300

/** Step points (ms, fraction) from (0, 0) to the last value, then flat to `endMs`. */
export const curvePoints = (c: RecoveryCurve, endMs: number): { x: number; p: number }[] => {
  const xs = [...c.values].sort((a, b) => a - b)
  const n = Math.max(1, c.n)
  const pts = [{ x: 0, p: 0 }]
  const step = Math.max(1, Math.ceil(xs.length / MAX_POINTS))
  for (let i = 0; i < xs.length; i++) if (i % step === step - 1 || i === xs.length - 1) pts.push({ x: xs[i] as number, p: (i + 1) / n })
  pts.push({ x: endMs, p: xs.length / n })
  return pts
}

const secs = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`)

/** The x extent: the slowest value, limit or heal, with room to see a curve flatten. */
const extentMs = (p: RecoveryPanel): number => {
  const vals = p.curves.flatMap((c) => c.values)
  const top = Math.max(1, ...vals, ...(p.limits ?? []).map((l) => l.ms))
  const heal = p.heal !== null && p.heal !== undefined && p.heal <= top * 1.5 ? p.heal : 0
  return Math.max(top, heal) * 1.3
}

/** Whether the times span more than a decade: then a log axis. */
const wantsLog = (p: RecoveryPanel): boolean => {
  const xs = [...p.curves.flatMap((c) => c.values), ...(p.limits ?? []).map((l) => l.ms)].filter((v) => v > 0)
  if (xs.length === 0) return false
  const lo = xs.reduce((m, v) => (v < m ? v : m), Number.POSITIVE_INFINITY)
  const hi = xs.reduce((m, v) => (v > m ? v : m), 0)
  return lo < hi / 10
}

/** Axis ticks of a log time axis: 1 ms, 10 ms, ... up to `max`, labelled in ms or s. */
const logTicks = (max: number, dense: boolean): number[] =>
  [0, 1, 10, 100, 1000, 10_000, 100_000, 1_000_000].flatMap((v) => (dense && v > 0 ? [v, 3 * v] : [v])).filter((v) => v <= max)
const TICK_LABEL = "datum.value >= 1000 ? format(datum.value / 1000, '~g') + ' s' : format(datum.value, '~g') + ' ms'"

export const recoveryPanelSpec = (p: RecoveryPanel, size: { width: number; height: number }, key: string): Record<string, unknown> => {
  const endMs = extentMs(p)
  const log = wantsLog(p)
  // a log scale (symlog: 0 stays 0) when times span decades: a 10 ms reconnect and a 1.5 s
  // resume both readable on one axis; linear when they do not (a partition's 4 s to 15 s)
  const x = {
    type: 'quantitative' as const,
    scale: log ? { type: 'symlog', constant: 1, domain: [0, endMs], nice: false } : { domain: [0, endMs], nice: false },
  }
  const labels = RECOVERY_METRICS.map((m) => RECOVERY_LABELS[m])
  const sided = p.curves.some((c) => c.side !== undefined)
  const lines = p.curves.flatMap((c) =>
    curvePoints(c, endMs).map((pt) => ({ ...pt, what: RECOVERY_LABELS[c.metric], side: c.side ?? 'run', series: `${c.metric}/${c.side ?? ''}` })),
  )
  const limits = (p.limits ?? []).map((l) => ({
    x: l.ms,
    y0: l.kind === 'max' ? 0 : l.q,
    y1: l.kind === 'max' ? l.q : 1,
    q: l.q,
    what: RECOVERY_LABELS[l.metric],
    label: `${RECOVERY_LABELS[l.metric]} ${l.stat} ${l.kind === 'max' ? '≤' : '≥'} ${secs(l.ms)}${l.ok === false ? ' FAILED' : ''}`,
    bad: l.ok === false ? 'bad' : 'ok',
    kind: l.kind,
    // a lower bound's label sits low, right of its rule (where the curve must be)
    ly: l.kind === 'max' ? l.q : Math.max(l.q, 0.08),
  }))
  const color = { field: 'what', type: 'nominal', title: null, scale: { domain: labels, range: RECOVERY_METRICS.map((m) => RECOVERY_COLORS[m]) } }
  const layers: unknown[] = [
    {
      name: `${key}_curve`,
      data: { values: lines },
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2, clip: true },
      encoding: {
        x: {
          field: 'x',
          ...x,
          title: log ? 'time since the fault (log scale)' : 'time since the fault',
          axis: log
            ? { values: logTicks(endMs, size.width >= 500), labelExpr: TICK_LABEL, grid: true }
            : { labelExpr: TICK_LABEL, grid: true, tickCount: 8 },
        },
        y: {
          field: 'p',
          type: 'quantitative',
          title: 'of the nodes it hit',
          scale: { domain: [0, 1] },
          axis: { format: '.0%', values: [0, 0.5, 0.9, 1] },
        },
        color: { ...color, legend: { orient: 'top', direction: 'horizontal', symbolType: 'stroke', symbolStrokeWidth: 3 } },
        detail: { field: 'series', type: 'nominal' },
        ...(sided
          ? {
              strokeDash: {
                field: 'side',
                type: 'nominal',
                title: null,
                scale: {
                  domain: ['A', 'B'],
                  range: [
                    [5, 3],
                    [1, 0],
                  ],
                },
                legend: { orient: 'top', labelExpr: "datum.label === 'A' ? 'A (reference)' : 'B (candidate)'" },
              },
            }
          : {}),
      },
    },
  ]
  if (limits.length > 0)
    layers.push(
      {
        name: `${key}_limit`,
        data: { values: limits },
        mark: { type: 'rule', strokeWidth: 1.5, strokeDash: [2, 2] },
        encoding: { x: { field: 'x', ...x }, y: { field: 'y0', type: 'quantitative' }, y2: { field: 'y1' }, color: { ...color, legend: null } },
      },
      {
        name: `${key}_limit_tip`,
        data: { values: limits },
        mark: { type: 'point', shape: 'triangle-left', size: 60, filled: true },
        encoding: { x: { field: 'x', ...x }, y: { field: 'q', type: 'quantitative' }, color: { ...color, legend: null } },
      },
      // fixed colours, not a colour scale: every panel then shares one legend of curves
      ...(['ok', 'bad'] as const).flatMap((bad) =>
        (['max', 'min'] as const).map((kind) => ({
          name: `${key}_limit_label_${bad}_${kind}`,
          data: { values: limits.filter((l) => l.bad === bad && l.kind === kind) },
          mark: {
            type: 'text',
            align: kind === 'max' ? 'right' : 'left',
            dx: kind === 'max' ? -4 : 4,
            dy: 10,
            fontSize: 10,
            color: bad === 'bad' ? '#c0221a' : '#444',
            fontWeight: bad === 'bad' ? 'bold' : 'normal',
          },
          encoding: { x: { field: 'x', ...x }, y: { field: 'ly', type: 'quantitative' }, text: { field: 'label' } },
        })),
      ),
    )
  if (p.heal !== null && p.heal !== undefined && p.heal <= endMs)
    layers.push(
      {
        name: `${key}_heal`,
        data: { values: [{ x: p.heal, label: 'healed' }] },
        mark: { type: 'rule', color: '#777', strokeDash: [4, 3] },
        encoding: { x: { field: 'x', ...x } },
      },
      {
        name: `${key}_heal_label`,
        data: { values: [{ x: p.heal, label: 'healed' }] },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: '#555', fontSize: 10 },
        encoding: { x: { field: 'x', ...x }, y: { value: 0 }, text: { field: 'label' } },
      },
    )
  return {
    title: { text: p.title, ...(p.subtitle ? { subtitle: p.subtitle } : {}), subtitleFontSize: 11, subtitleColor: '#555' },
    ...size,
    layer: layers,
  }
}

/** One panel large, several as small multiples (a chaos run: one per fault). */
export const recoverySpec = (panels: readonly RecoveryPanel[]): TopLevelSpec => {
  if (panels.length === 1) return recoveryPanelSpec(panels[0] as RecoveryPanel, { width: 760, height: 250 }, 'r0') as unknown as TopLevelSpec
  const columns = panels.length <= 4 ? 2 : 3
  const size = columns === 2 ? { width: 560, height: 190 } : { width: 360, height: 160 }
  return { columns, concat: panels.map((p, k) => recoveryPanelSpec(p, size, `r${k}`)), spacing: 24 } as unknown as TopLevelSpec
}

export const recoverySvg = (panels: readonly RecoveryPanel[], id = 'recovery'): Promise<string> => vegaLiteToSvg(recoverySpec(panels), id)

/** The subtitle of a fault's panel: how many it hit, and how far each curve got. */
export const recoveryNumbers = (curves: readonly RecoveryCurve[], affected: number): string => {
  const parts = curves.map((c) => {
    const xs = [...c.values].sort((a, b) => a - b)
    const p99 = xs.length === 0 ? null : (xs[Math.min(xs.length - 1, Math.ceil(0.99 * xs.length) - 1)] as number)
    return `${RECOVERY_LABELS[c.metric]} ${c.values.length}/${c.n}${p99 === null ? '' : ` (p99 ${secs(p99)})`}`
  })
  return `${affected} node${affected === 1 ? '' : 's'} hit: ${parts.join(', ')}`
}
