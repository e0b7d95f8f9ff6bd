import { makeEvent, type RawEvent } from '../core/events.ts'
import { now } from '../core/clock.ts'
import type { CallbackKind, JobCallback, JobRequest } from './job-protocol.ts'

/**
 * Sends a callback to the orchestrator that created the execution. NATS: a publish (the client
 * buffers it while disconnected; nobody hears it if that orchestrator is gone). libp2p: a stream
 * to the orchestrator's peer; a failure is reported as its code.
 */
export type SendCallback = (req: JobRequest, kind: CallbackKind, body: JobCallback) => Promise<{ ok: true } | { ok: false; code: string }>

/**
 * The compute side of a job: bid on every AskForBid (OnBidComplete right after the ack), run
 * for `RunMs` on BidAccepted (no container: a timer), then OnRunComplete or, when the request
 * says so, OnComputeFailure. `node.job_done` records that the node finished and sent the final
 * callback, so a lost callback shows as a job done on its node but never at its orchestrator.
 */
export class Executor {
  readonly #node: string
  readonly #send: SendCallback
  readonly #emit: (e: RawEvent) => void
  readonly #runs = new Set<NodeJS.Timeout>()
  #stopped = false

  constructor(node: string, send: SendCallback, emit: (e: RawEvent) => void) {
    this.#node = node
    this.#send = send
    this.#emit = emit
  }

  #body(req: JobRequest, extra: Partial<JobCallback> = {}): JobCallback {
    return { JobID: req.JobID, ExecutionID: req.ExecutionID, NodeID: this.#node, ...extra }
  }

  /** The ack is the caller's reply; the bid follows as a callback. */
  onAskForBid(req: JobRequest): { Accepted: true; NodeID: string } {
    setImmediate(() => {
      if (!this.#stopped) void this.#send(req, 'OnBidComplete', this.#body(req, { Accepted: true }))
    })
    return { Accepted: true, NodeID: this.#node }
  }

  onBidAccepted(req: JobRequest): { Accepted: true; NodeID: string } {
    const timer = setTimeout(() => {
      this.#runs.delete(timer)
      void this.#finish(req)
    }, req.RunMs)
    this.#runs.add(timer)
    return { Accepted: true, NodeID: this.#node }
  }

  async #finish(req: JobRequest): Promise<void> {
    if (this.#stopped) return
    const kind: CallbackKind = req.Fail ? 'OnComputeFailure' : 'OnRunComplete'
    const r = await this.#send(req, kind, this.#body(req, req.Fail ? { ErrorMessage: 'simulated execution failure' } : {}))
    if (this.#stopped) return
    this.#emit(
      makeEvent(
        'node.job_done',
        { node: this.#node },
        { job: req.JobID, orchestrator: req.Orchestrator, ok: !req.Fail, sent: r.ok, ...(r.ok ? {} : { code: r.code }) },
      ),
    )
  }

  /** runs in progress */
  get running(): number {
    return this.#runs.size
  }

  stop(): void {
    this.#stopped = true
    for (const t of this.#runs) clearTimeout(t)
    this.#runs.clear()
  }
}
