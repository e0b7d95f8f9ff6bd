import type { TopLevelSpec } from 'vega-lite'
import { vegaLiteToSvg } from './vega-svg.ts'
import { FAULT_COLOR } from './colors.ts'
import type { FaultBand } from './segments.ts'

/** A jobs.csv row as the chart needs it. */
export interface JobPoint {
  job: string
  /** ms since run start */
  submit_ms: number
  outcome: 'complete' | 'failed' | 'lost'
  reason: string
  latency_ms: number | null
}

export const OUTCOME_COLORS = { complete: '#3a9a48', failed: '#f58518', lost: '#e45756' } as const

/**
 * Job latency against submission time, fault windows shaded: what a fault did to the work in
 * flight. Completed jobs are dots at their latency; failed and lost jobs have none and are
 * drawn as crosses on a strip above the highest latency, so they line up with the fault that
 * caused them.
 */
export const jobsSpec = (jobs: readonly JobPoint[], faults: readonly FaultBand[], end: number, width = 1240): TopLevelSpec => {
  const top = Math.max(1, ...jobs.map((j) => j.latency_ms ?? 0))
  const strip = top * 1.12
  const values = jobs.map((j) => ({
    t: j.submit_ms / 1000,
    y: j.latency_ms ?? strip,
    outcome: j.outcome,
    label: j.outcome === 'complete' ? `${j.job}: ${j.latency_ms} ms` : `${j.job}: ${j.outcome} (${j.reason})`,
  }))
  const x = { type: 'quantitative' as const, scale: { domain: [0, end / 1000], nice: false, zero: true } }
  const outcomes = Object.keys(OUTCOME_COLORS)
  const layers: unknown[] = [
    {
      data: { values },
      mark: { type: 'point', filled: true, size: 22, opacity: 0.8 },
      encoding: {
        x: { field: 't', ...x, title: 's since run start (submission)' },
        y: {
          field: 'y',
          type: 'quantitative',
          title: 'job latency (ms); failed and lost on the top strip',
          scale: { domain: [0, strip * 1.04], nice: false },
        },
        color: {
          field: 'outcome',
          type: 'nominal',
          scale: { domain: outcomes, range: outcomes.map((o) => OUTCOME_COLORS[o as keyof typeof OUTCOME_COLORS]) },
          legend: null,
        },
        shape: { field: 'outcome', type: 'nominal', scale: { domain: outcomes, range: ['circle', 'cross', 'cross'] }, legend: null },
      },
    },
  ]
  if (faults.length > 0) {
    const fw = faults.map((f) => ({ t0: f.start / 1000, t1: f.end / 1000, label: `fault: ${f.label}` }))
    layers.push(
      {
        name: 'fault_window',
        data: { values: fw },
        mark: { type: 'rect', color: FAULT_COLOR, opacity: 0.18 },
        encoding: { x: { field: 't0', ...x }, x2: { field: 't1' } },
      },
      {
        name: 'fault_label',
        data: { values: fw },
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 2, color: FAULT_COLOR, fontSize: 11 },
        encoding: { x: { field: 't0', ...x }, y: { value: 0 }, text: { field: 'label' } },
      },
    )
  }
  return { width, height: 260, layer: layers } as TopLevelSpec
}

export const jobsSvg = (jobs: readonly JobPoint[], faults: readonly FaultBand[], end: number): Promise<string> =>
  vegaLiteToSvg(jobsSpec(jobs, faults, end), 'jobs')
