import type { SimEvent } from '../../core/events.ts'
import { ALL_GROUP } from '../../metrics/summary.ts'
import type { RunInfo, SummaryRecord } from '../format/report-files.ts'
import type { CdfSeries } from './cdf-chart.ts'
import { byPhase, cdfPanelsSvg, phaseTitle, type CdfPanel } from './cdf-panels.ts'
import { FAULT_COLOR, orchColor, RECOVERY_COLORS, RECOVERY_LABELS, RECOVERY_METRICS, STATE_COLORS, swatches } from './colors.ts'
import { orchLoad, orchLoadSvg } from './orch-load.ts'
import { esc, table } from './page.ts'
import { recoveryFaults, recoveryLimits, type RecoveryFault } from './recovery.ts'
import { recoveryNumbers, recoverySvg, type RecoveryPanel } from './recovery-chart.ts'
import { faultBands, moments, nodeSegments, orchestratorsOf, runEnd } from './segments.ts'
import { MAX_TIMELINE_NODES, timelineData, timelineSvg } from './timeline.ts'

/**
 * The pictures of report.html, in reading order: where the nodes were (nodes per orchestrator),
 * how quickly they recovered from each fault (recovery curves), each node's own story (the
 * timeline, with a zoom on each fault), and the distributions (CDFs by phase).
 */

/** Zooms drawn at most (a chaos run has many faults: the first ones, each with its own rows). */
export const MAX_ZOOMS = 6

const orchSwatches = (orchestrators: readonly string[]) => orchestrators.map((o, k) => ({ color: orchColor(k), label: o }))

export const orchLoadHtml = async (events: readonly SimEvent[], durationMs?: number): Promise<string> => {
  const end = runEnd(events, durationMs)
  const { nodes, segments } = nodeSegments(events, end)
  if (nodes.length === 0) return ''
  const load = orchLoad(segments, end, orchestratorsOf(events))
  const faults = faultBands(events, end)
  return `<h2>Where the nodes were</h2><p class="note">Nodes attached to each orchestrator over the run (all ${nodes.length} nodes counted, none sampled); dashed grey: nodes attached to none (starting, or between a disconnect and a reconnect). Purple: faults, from apply (solid) to heal (dashed).</p><div class="chart" id="orch-load">${await orchLoadSvg(load, faults, moments(events))}</div>`
}

/** Every assertion on detect, reconnect or resume (a group's own, e.g. partition's edge, is over the nodes the fault hit too). */
const limitsOf = (run: RunInfo | null) => recoveryLimits(run?.config?.assertions ?? [], run?.assertions ?? [])

export const recoveryPanels = (faults: readonly RecoveryFault[], run: RunInfo | null): RecoveryPanel[] => {
  const limits = limitsOf(run)
  return faults.map((f) => ({
    title: `${f.label} at ${(f.start / 1000).toFixed(2)} s`,
    subtitle: recoveryNumbers(f.curves, f.affected),
    curves: f.curves,
    limits,
    heal: f.heal,
  }))
}

export const recoveryHtml = async (faults: readonly RecoveryFault[], run: RunInfo | null): Promise<string> => {
  if (faults.length === 0) return ''
  const legend = swatches(RECOVERY_METRICS.map((m) => ({ color: RECOVERY_COLORS[m], label: `${RECOVERY_LABELS[m]} (${m})` })))
  return `<h2>Recovery</h2><p class="note">From the moment of each fault: the fraction of the nodes it hit that had noticed (detected), were connected again (reconnected) and had a heartbeat received by a surviving orchestrator (resumed). A curve that levels off below 100 % is nodes that never got there. Dotted rules are the scenario's assertions on these metrics (over all faults), ▸ the point a curve must pass to the left of; a red label failed.${faults.length > 1 ? ` One panel per fault (${faults.length}).` : ''}</p>${legend}<div class="chart" id="recovery">${await recoverySvg(recoveryPanels(faults, run))}</div>`
}

/**
 * The x range of a fault's zoom: a little before it to a little after its last node reconnected
 * (the timeline draws connections: a resume waits for a heartbeat, up to an interval later);
 * with nodes never back, to the heal.
 */
export const zoomRange = (f: RecoveryFault): { from: number; to: number } => {
  const rec = f.curves.find((c) => c.metric === 'reconnect_ms')
  const never = rec === undefined || rec.values.length < rec.n
  const last = Math.max(200, ...(rec?.values ?? []), ...(never && f.heal !== null ? [f.heal] : []))
  return { from: f.start - 0.1 * last, to: f.start + 1.15 * last }
}

export const timelineHtml = async (events: readonly SimEvent[], faults: readonly RecoveryFault[], durationMs?: number): Promise<string> => {
  const d = timelineData(events, durationMs)
  if (d.nodes.length === 0) return '<h2>Node timeline</h2><p class="note">No node events.</p>'
  const sampled = d.nodes.length < d.totalNodes
  const legend = swatches([
    ...orchSwatches(d.orchestrators).map((s) => ({ ...s, label: `on ${s.label}` })),
    { color: STATE_COLORS.connecting, label: 'connecting' },
    { color: STATE_COLORS.disconnected, label: 'disconnected' },
    { color: STATE_COLORS.closed, label: 'closed (gave up)' },
    { color: FAULT_COLOR, label: 'fault (apply → heal)', opacity: 0.6 },
  ])
  const note = `${d.totalNodes} nodes, a row each${sampled ? `: ${d.nodes.length} rows drawn (at most ${MAX_TIMELINE_NODES}), sampled evenly within each block, every block's count on its label` : ''}. Rows are grouped by group and by the orchestrator each node was on when the first fault hit; a row changes colour when its node moves.`
  const zooms: string[] = []
  for (const [k, f] of faults.slice(0, MAX_ZOOMS).entries()) {
    const r = zoomRange(f)
    const z = timelineData(events, durationMs, 120, { only: new Set(f.nodes), blockAt: f.start })
    const svg = await timelineSvg(z, { ...r, width: 1240, id: `zoom-${k}` })
    zooms.push(
      `<h3>Zoom: ${esc(f.label)}, ${(r.from / 1000).toFixed(2)}–${(r.to / 1000).toFixed(2)} s <span class="note">(the ${f.affected} nodes it hit${z.nodes.length < f.affected ? `, ${z.nodes.length} drawn` : ''})</span></h3><div class="chart zoom">${svg}</div>`,
    )
  }
  const more = faults.length > MAX_ZOOMS ? `<p class="note">Zooms of the first ${MAX_ZOOMS} of ${faults.length} faults.</p>` : ''
  const hit = new Map(faults.map((f) => [f.id, f.affected]))
  const list = d.faults.length
    ? table(
        ['fault', 'applied (s)', 'healed (s)', 'nodes hit'],
        d.faults.map((f) => [
          esc(f.label),
          esc((f.start / 1000).toFixed(3)),
          esc(f.healed ? (f.end / 1000).toFixed(3) : 'not healed (to the end)'),
          esc(hit.get(f.id) ?? 0),
        ]),
      )
    : '<p class="note">No fault was applied.</p>'
  return `<h2>Node timeline</h2><p class="note">${esc(note)}</p>${legend}<div class="chart" id="timeline">${await timelineSvg(d)}</div>${list}${zooms.join('\n')}${more}`
}

export interface CdfInput {
  metric: string
  series: CdfSeries[]
  missing: number
}

/** One small-multiples chart per phase. */
export const cdfsHtml = async (inputs: readonly CdfInput[], note: string): Promise<string> => {
  const panels: CdfPanel[] = inputs.map((i) => {
    const n = i.series.filter((s) => !s.dashed).reduce((k, s) => Math.max(k, s.values.length), 0)
    return {
      metric: i.metric,
      title: i.metric,
      subtitle: `ms; n=${n}${i.missing ? `, ${i.missing} missing` : ''}${n === 0 ? ': no values' : ''}`,
      series: i.series,
    }
  })
  const parts: string[] = []
  for (const { phase, panels: ps } of byPhase(panels))
    parts.push(`<h3>${esc(phaseTitle(phase))}</h3><div class="chart" id="cdf-${esc(phase)}">${await cdfPanelsSvg(`cdf-${phase}`, ps)}</div>`)
  return `<h2>Distributions</h2><p class="note">${esc(note)}</p>${parts.join('\n')}`
}

/** The `missing` of a metric's `all` row. */
export const missingOf = (summary: readonly SummaryRecord[] | null, metric: string): number =>
  summary?.find((r) => r.group === ALL_GROUP && r.metric === metric)?.missing ?? 0
