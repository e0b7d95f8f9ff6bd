import type { TopLevelSpec } from 'vega-lite'
import { cdfSpec, type CdfSeries } from './cdf-chart.ts'
import { vegaLiteToSvg } from './vega-svg.ts'

/**
 * CDFs as small multiples: the metrics of one phase (discovery, failover...) side by side in
 * one chart, one panel each, sharing one legend, instead of a box per metric. A compare gives
 * each panel its verdict in the title (red: regressed, green: improved).
 */
export const PHASES: readonly { name: string; title: string; metrics: (m: string) => boolean }[] = [
  {
    name: 'discovery',
    title: 'Discovery: from a node’s start',
    metrics: (m) => ['connect_ms', 'register_ms', 'full_pool_ms', 'visible_ms', 'visible_all_ms', 'join_pool_ms'].includes(m),
  },
  {
    name: 'failover',
    title: 'Failover: from the fault (heal_reconnect: from the heal)',
    metrics: (m) => ['detect_ms', 'reconnect_ms', 'resume_ms', 'orch_detect_ms', 'flap_ms', 'heal_reconnect_ms', 'closed_ms'].includes(m),
  },
  { name: 'auth', title: 'Authentication', metrics: (m) => ['reject_ms', 'leaked_registration_ms', 'rogue_seen_ms'].includes(m) },
  { name: 'jobs', title: 'Jobs and bids', metrics: (m) => m.startsWith('job_') || m.startsWith('bid') },
]

/** The phase a metric belongs to (`other` for one none claims). */
export const phaseOf = (metric: string): string => PHASES.find((p) => p.metrics(metric))?.name ?? 'other'

export const phaseTitle = (phase: string): string => PHASES.find((p) => p.name === phase)?.title ?? 'Other metrics'

export interface CdfPanel {
  metric: string
  title: string
  subtitle?: string
  /** the title's colour (a compare's verdict) */
  color?: string
  series: CdfSeries[]
}

/** Panels grouped by phase, in phase order, keeping the panels' own order within each. */
export const byPhase = <T extends { metric: string }>(panels: readonly T[]): { phase: string; panels: T[] }[] => {
  const order = [...PHASES.map((p) => p.name), 'other']
  const groups = new Map<string, T[]>()
  for (const p of panels) groups.set(phaseOf(p.metric), [...(groups.get(phaseOf(p.metric)) ?? []), p])
  return order.filter((o) => groups.has(o)).map((phase) => ({ phase, panels: groups.get(phase) as T[] }))
}

export const cdfPanelsSpec = (panels: readonly CdfPanel[], opts: { columns?: number; width?: number; height?: number } = {}): TopLevelSpec => {
  const columns = opts.columns ?? Math.min(3, panels.length)
  const size = { width: opts.width ?? (columns === 1 ? 560 : columns === 2 ? 560 : 370), height: opts.height ?? 170 }
  const names = [...new Set(panels.flatMap((p) => p.series.filter((s) => s.values.length > 0).map((s) => s.name)))]
  const sub = panels.map((p) => {
    const spec = cdfSpec(
      p.series.filter((s) => s.values.length > 0),
      size,
    ) as unknown as Record<string, unknown> & { encoding: Record<string, Record<string, unknown>> }
    // one legend for all the panels, listing every series of any of them
    spec.encoding['color'] = { ...spec.encoding['color'], sort: names, scale: { domain: names, scheme: 'tableau10' } }
    spec.encoding['x'] = { ...spec.encoding['x'], title: null }
    spec.encoding['y'] = { ...spec.encoding['y'], title: null }
    return {
      ...spec,
      title: {
        text: p.title,
        ...(p.subtitle ? { subtitle: p.subtitle } : {}),
        ...(p.color ? { color: p.color } : {}),
        subtitleColor: '#555',
        subtitleFontSize: 11,
      },
    }
  })
  return {
    columns,
    concat: sub,
    spacing: 20,
    resolve: { scale: { color: 'shared', strokeDash: 'shared' }, legend: { color: 'shared' } },
  } as unknown as TopLevelSpec
}

export const cdfPanelsSvg = (id: string, panels: readonly CdfPanel[], opts: { columns?: number } = {}): Promise<string> =>
  vegaLiteToSvg(cdfPanelsSpec(panels, opts), id)
