import type { SimEvent } from '../core/events.ts'
import { nodeStarts, ordered, type MetricValue } from './metric-value.ts'
import { faultWindows, type FaultWindow } from './fault-windows.ts'

export type JobOutcome = 'complete' | 'failed' | 'lost'
/** Where a job's life falls relative to the run's fault windows (only when the run has faults). */
export type JobPhase = 'before' | 'during' | 'after' | 'none'

/** One submitted job and what became of it: a row of jobs.csv. */
export interface JobRecord {
  job: string
  /** the orchestrator it was given to (its creator); '' when none was up */
  orchestrator: string
  /** the node it went to; '' when it never got one */
  node: string
  group: string
  submit_ms: number
  phase: JobPhase
  outcome: JobOutcome
  /**
   * failed: the orchestrator's reason (no_nodes, no_responders, timeout, unreachable, rejected,
   * compute_failure, error); lost: orchestrator_gone (its creator went down, so its callbacks
   * went nowhere), late (an outcome after the budget) or no_outcome; complete: ''
   */
  reason: string
  /** submit → OnRunComplete at its orchestrator; null unless complete within the budget */
  latency_ms: number | null
  /** submit → the node finished and sent its final callback (node.job_done); null if it never did */
  node_done_ms: number | null
}

const phaseOf = (start: number, end: number, windows: readonly FaultWindow[]): JobPhase => {
  const first = windows[0]
  if (first === undefined) return 'none'
  if (windows.some((w) => start < w.end && end > w.start)) return 'during'
  return end <= first.start ? 'before' : 'after'
}

/** Every job of the run, in submission order, with its outcome. */
export const jobRecords = (events: readonly SimEvent[]): JobRecord[] => {
  const evs = ordered(events)
  const starts = nodeStarts(evs)
  const windows = faultWindows(events)
  const downs = new Map<string, number[]>()
  interface Open {
    job: string
    orch: string
    group: string
    budget: number
    t: number
    node: string
    end?: { kind: 'complete' | 'failed'; t: number; reason: string }
    nodeDone?: number
  }
  const jobs = new Map<string, Open>()
  for (const { e } of evs) {
    if (e.kind === 'orch.down' && e.orch !== undefined) downs.set(e.orch, [...(downs.get(e.orch) ?? []), e.t])
    if (e.kind === 'job.submit') {
      // (a submit without a budget has no deadline; one without a group counts as any node's)
      jobs.set(e.data.job, {
        job: e.data.job,
        orch: e.orch ?? '',
        group: e.data.group ?? 'all',
        budget: e.data.budget_ms ?? Number.POSITIVE_INFINITY,
        t: e.t,
        node: '',
      })
      continue
    }
    if (e.kind !== 'job.bid' && e.kind !== 'job.complete' && e.kind !== 'job.failed' && e.kind !== 'node.job_done') continue
    const job = e.data?.job
    if (typeof job !== 'string') continue
    const j = jobs.get(job)
    if (j === undefined) continue
    if (e.node !== undefined && j.node === '' && e.kind !== 'node.job_done') j.node = e.node
    if (e.kind === 'node.job_done' && j.nodeDone === undefined) {
      j.nodeDone = e.t
      if (j.node === '') j.node = e.node
    }
    if ((e.kind === 'job.complete' || e.kind === 'job.failed') && j.end === undefined) {
      j.end = {
        kind: e.kind === 'job.complete' ? 'complete' : 'failed',
        t: e.t,
        reason: e.kind === 'job.failed' ? e.data.reason : '',
      }
    }
  }
  const us = (v: number) => Math.round(v * 1000) / 1000
  return [...jobs.values()].map((j): JobRecord => {
    const deadline = j.t + j.budget
    const inTime = j.end !== undefined && j.end.t <= deadline
    let outcome: JobOutcome
    let reason: string
    if (j.end !== undefined && inTime) {
      outcome = j.end.kind
      reason = j.end.reason
    } else {
      outcome = 'lost'
      const creatorDown = j.orch === '' || (downs.get(j.orch) ?? []).some((t) => t >= j.t && t <= deadline)
      reason = creatorDown ? 'orchestrator_gone' : j.end !== undefined ? 'late' : 'no_outcome'
    }
    const group = (j.node !== '' ? starts.get(j.node)?.group : undefined) ?? (j.group === 'all' ? 'unplaced' : j.group)
    return {
      job: j.job,
      orchestrator: j.orch,
      node: j.node,
      group,
      submit_ms: j.t,
      // a job without an outcome in time was in flight until its deadline
      phase: phaseOf(j.t, inTime && j.end !== undefined ? j.end.t : deadline, windows),
      outcome,
      reason,
      latency_ms: outcome === 'complete' && j.end !== undefined ? us(j.end.t - j.t) : null,
      node_done_ms: j.nodeDone === undefined ? null : us(j.nodeDone - j.t),
    }
  })
}

/**
 * Job metrics (one value per job, in the group of the node that ran it):
 * - `job_latency_ms`: submission → OnRunComplete at the creating orchestrator; failed and lost
 *   jobs are its missing values.
 * - `job_latency_before_ms` / `_during_ms` / `_after_ms` when the run has faults: the same, split
 *   by whether the job's life ended before the first fault, overlapped a fault window, or came
 *   after (see faultWindows).
 * - `job_resume_ms` (group `cluster`, one per fault): from the fault until jobs complete again:
 *   to the completion of the first job submitted after the last job (submitted since that fault,
 *   before the next) that failed or was lost; with no such job, of the first job submitted
 *   after the fault. Missing when none completed.
 */
export const jobMetrics = (events: readonly SimEvent[]): MetricValue[] => {
  const records = jobRecords(events)
  if (records.length === 0) return []
  const out: MetricValue[] = []
  const hasFaults = records.some((r) => r.phase !== 'none')
  for (const r of records) {
    out.push({ node: r.node, group: r.group, metric: 'job_latency_ms', value_ms: r.latency_ms })
    if (hasFaults) out.push({ node: r.node, group: r.group, metric: `job_latency_${r.phase}_ms`, value_ms: r.latency_ms })
  }
  const windows = faultWindows(events)
  windows.forEach((w, k) => {
    const until = windows[k + 1]?.start ?? Number.POSITIVE_INFINITY
    const since = records.filter((r) => r.submit_ms >= w.start && r.submit_ms < until)
    let lastBad = -1
    since.forEach((r, i) => {
      if (r.outcome !== 'complete') lastBad = i
    })
    const next = since.slice(lastBad + 1).find((r) => r.outcome === 'complete')
    out.push({
      node: w.id,
      group: 'cluster',
      metric: 'job_resume_ms',
      value_ms: next === undefined || next.latency_ms === null ? null : Math.round((next.submit_ms + next.latency_ms - w.start) * 1000) / 1000,
    })
  })
  return out
}

/** Jobs by outcome and reason, for the console and run.json: `{ complete: n, failed: { reason: n }, lost: { reason: n } }`. */
export const jobCounts = (
  records: readonly JobRecord[],
): { submitted: number; complete: number; failed: Record<string, number>; lost: Record<string, number>; lostAfterNodeDone: number } => {
  const failed: Record<string, number> = {}
  const lost: Record<string, number> = {}
  let complete = 0
  let lostAfterNodeDone = 0
  for (const r of records) {
    if (r.outcome === 'complete') complete++
    else if (r.outcome === 'failed') failed[r.reason] = (failed[r.reason] ?? 0) + 1
    else {
      lost[r.reason] = (lost[r.reason] ?? 0) + 1
      // a callback sent to a creator that was gone (a late one did arrive, after the budget)
      if (r.node_done_ms !== null && r.reason === 'orchestrator_gone') lostAfterNodeDone++
    }
  }
  return { submitted: records.length, complete, failed, lost, lostAfterNodeDone }
}
