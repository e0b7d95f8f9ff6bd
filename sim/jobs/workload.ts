import type { Rng } from '../core/rng.ts'
import type { Recorder } from '../core/recorder.ts'
import type { Cluster, Member } from '../core/cluster.ts'
import type { SimEvent } from '../core/events.ts'
import type { JobOrder } from './job-protocol.ts'

/** A job workload with every duration in ms (the `jobs` step, sim/steps/jobs.ts). */
export interface WorkloadSpec {
  rate: number
  runMs: number
  /** null: until the timeline ends */
  forMs: number | null
  /** null: any node */
  group: string | null
  /** 'all' or orch-N */
  via: string
  timeoutMs: number
  budgetMs: number
  failureRate: number
}

/** An orchestrator that takes jobs: hands them to its requester (requester.ts); outcomes arrive as events. */
export interface JobMember extends Member {
  submitJob(order: JobOrder): void
}
export const takesJobs = (m: Member): m is JobMember => typeof (m as Partial<JobMember>).submitJob === 'function'

export interface WorkloadTally {
  submitted: number
  completed: number
  failed: number
  /** no outcome yet: when the workload settles, these are the lost ones */
  open: number
}

/**
 * The harness's job workload (a `jobs` step): submits jobs at `rate` per second, in turn to the
 * live orchestrators (or the one named by `via`), as clients submitting to requesters would.
 * Each submission is recorded (`job.submit`) before it is handed over, so a job given to an
 * orchestrator that dies is still counted: its outcome never comes and it is lost.
 *
 * The pace is kept by the clock, not by counting ticks: a late tick submits what is due, so a
 * busy harness does not quietly lower the rate.
 */
export class JobWorkload {
  readonly #spec: WorkloadSpec
  readonly #cluster: Cluster
  readonly #recorder: Recorder
  readonly #rng: Rng
  readonly #prefix: string
  readonly #open = new Set<string>()
  #submitted = 0
  #completed = 0
  #failed = 0
  #scanned = 0
  #timer: NodeJS.Timeout | null = null
  #startedAt = 0
  #lastSubmitAt = 0
  #turn = 0

  /** `prefix` keeps job ids of several workloads in one run apart */
  constructor(spec: WorkloadSpec, deps: { cluster: Cluster; recorder: Recorder; rng: Rng; prefix: string }) {
    this.#spec = spec
    this.#cluster = deps.cluster
    this.#recorder = deps.recorder
    this.#rng = deps.rng
    this.#prefix = deps.prefix
  }

  start(): void {
    this.#startedAt = Date.now()
    const tickMs = Math.max(5, Math.min(100, 1000 / this.#spec.rate))
    this.#submitDue()
    this.#timer = setInterval(() => this.#submitDue(), tickMs)
  }

  #submitDue(): void {
    const elapsed = Date.now() - this.#startedAt
    if (this.#spec.forMs !== null && elapsed >= this.#spec.forMs) return this.stopSubmitting()
    const due = Math.floor((elapsed / 1000) * this.#spec.rate) + 1
    while (this.#submitted < due) this.#submitOne()
  }

  #target(): JobMember | undefined {
    const live = this.#cluster.live().filter(takesJobs)
    if (this.#spec.via !== 'all') return live.find((o) => o.name === this.#spec.via)
    if (live.length === 0) return undefined
    return live[this.#turn++ % live.length]
  }

  #submitOne(): void {
    const job = `${this.#prefix}${String(this.#submitted).padStart(5, '0')}`
    this.#submitted++
    // Draws happen whether or not an orchestrator is up, so the sequence is the seed's alone.
    const pick = this.#rng.next()
    const fail = this.#rng.next() < this.#spec.failureRate
    const member = this.#target()
    this.#lastSubmitAt = Date.now()
    this.#open.add(job)
    this.#recorder.note(
      'job.submit',
      { ...(member === undefined ? {} : { orch: member.name }) },
      { job, group: this.#spec.group ?? 'all', budget_ms: this.#spec.budgetMs, run_ms: this.#spec.runMs, fail },
    )
    if (member === undefined) return // no orchestrator to take it: lost, reason orchestrator_gone
    member.submitJob({ job, runMs: this.#spec.runMs, fail, pick, group: this.#spec.group, timeoutMs: this.#spec.timeoutMs })
  }

  stopSubmitting(): void {
    if (this.#timer !== null) clearInterval(this.#timer)
    this.#timer = null
  }

  /** Outcomes recorded so far (scans only events it has not seen). */
  tally(): WorkloadTally {
    const events: readonly SimEvent[] = this.#recorder.events
    for (; this.#scanned < events.length; this.#scanned++) {
      const e = events[this.#scanned] as SimEvent
      if (e.kind !== 'job.complete' && e.kind !== 'job.failed') continue
      const job = e.data?.['job']
      if (typeof job !== 'string' || !this.#open.delete(job)) continue
      if (e.kind === 'job.complete') this.#completed++
      else this.#failed++
    }
    return { submitted: this.#submitted, completed: this.#completed, failed: this.#failed, open: this.#open.size }
  }

  /**
   * Stops submitting and waits until every job has an outcome or the budget of the last one
   * has passed; what is still open then is lost (the metrics say why).
   */
  async settle(signal?: AbortSignal): Promise<WorkloadTally> {
    this.stopSubmitting()
    const deadline = this.#lastSubmitAt + this.#spec.budgetMs
    await this.#recorder.waitUntil(() => this.tally().open === 0, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      ...(signal === undefined ? {} : { signal }),
    })
    return this.tally()
  }
}
