import { makeEvent, type DataOf, type EventKind, type RawEvent } from '../core/events.ts'
import { now } from '../core/clock.ts'
import {
  reasonOf,
  type CallbackKind,
  type ComputeCall,
  type JobCallback,
  type JobFailReason,
  type JobOrder,
  type JobRequest,
} from './job-protocol.ts'

export type CallResult = { ok: true } | { ok: false; code: string; message?: string }

/** What the requester needs from its transport (NATS control plane or libp2p host). */
export interface RequesterTransport {
  /** the orchestrator's name: callbacks are addressed to it */
  readonly name: string
  /** libp2p: how a node reaches this orchestrator for callbacks */
  readonly peer?: { PeerID: string; Addrs: string[] }
  /** nodes a job may go to: CONNECTED and APPROVED (NATS), known from gossip (libp2p) */
  eligibleNodes(): string[]
  call(node: string, call: ComputeCall, req: JobRequest, timeoutMs: number): Promise<CallResult>
}

interface Pending {
  job: string
  node: string
  stage: 'bid' | 'run'
  /** resolves the stage's wait */
  settle: (cb: { kind: CallbackKind; body: JobCallback } | null) => void
}

/**
 * The orchestrator side of a job (Bacalhau's requester + dispatcher, one node per job): pick a
 * node, AskForBid, wait for its OnBidComplete, BidAccepted, wait for OnRunComplete or
 * OnComputeFailure. Events: `job.bid` when the bid arrives, then `job.complete` or `job.failed`
 * (data.reason). The bid stage has a budget (`timeoutMs`); the run stage has none, as in
 * Bacalhau, where an execution waits for its callback: a callback that never comes is a job the
 * harness counts as lost.
 */
export class Requester {
  readonly #t: RequesterTransport
  readonly #emit: (e: RawEvent) => void
  readonly #pending = new Map<string, Pending>()
  #stopped = false

  constructor(transport: RequesterTransport, emit: (e: RawEvent) => void) {
    this.#t = transport
    this.#emit = emit
  }

  #event<K extends EventKind>(kind: K, node: string | undefined, data: DataOf<K>): void {
    this.#emit(makeEvent(kind, { orch: this.#t.name, ...(node === undefined ? {} : { node }) }, data))
  }

  #fail(job: string, node: string | undefined, reason: JobFailReason, code: string, stage: string): void {
    // After stop() the connection is closing and in-flight calls fail for that reason alone:
    // nothing to report (the harness counts such jobs as lost when their orchestrator went down).
    if (this.#stopped) return
    this.#event('job.failed', node, { job, reason, code, stage })
  }

  /** The node a job goes to: the draw `pick` over the eligible nodes, in id order (deterministic for a given store). */
  static choose(eligible: readonly string[], order: Pick<JobOrder, 'pick' | 'group'>): string | null {
    const prefix = order.group === null ? null : `${order.group}-`
    const nodes = (prefix === null ? [...eligible] : eligible.filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)))).sort()
    if (nodes.length === 0) return null
    return nodes[Math.min(nodes.length - 1, Math.floor(order.pick * nodes.length))] as string
  }

  /** Runs one job to its end (complete, failed) or until stopped; never rejects. */
  async submit(order: JobOrder): Promise<void> {
    if (this.#stopped) return
    const node = Requester.choose(this.#t.eligibleNodes(), order)
    if (node === null) return this.#fail(order.job, undefined, 'no_nodes', 'NO_NODES', 'select')
    const req: JobRequest = {
      JobID: order.job,
      ExecutionID: `${order.job}.${node}`,
      Orchestrator: this.#t.name,
      ...(this.#t.peer === undefined ? {} : { OrchestratorPeer: this.#t.peer }),
      RunMs: order.runMs,
      Fail: order.fail,
    }
    // Wait for the bid before asking, so a fast callback cannot arrive unexpected.
    const bid = this.#await(req, node, 'bid', order.timeoutMs)
    const asked = await this.#t.call(node, 'AskForBid', req, order.timeoutMs)
    if (!asked.ok) {
      this.#drop(req.ExecutionID)
      return this.#fail(order.job, node, reasonOf(asked.code), asked.code, 'ask_for_bid')
    }
    const cb = await bid
    if (this.#stopped) return
    if (cb === null) return this.#fail(order.job, node, 'timeout', 'TIMEOUT', 'bid')
    if (cb.body.Accepted !== true) return this.#fail(order.job, node, 'rejected', 'REJECTED', 'bid')
    this.#event('job.bid', node, { job: order.job })
    const run = this.#await(req, node, 'run', null)
    const accepted = await this.#t.call(node, 'BidAccepted', req, order.timeoutMs)
    if (!accepted.ok) {
      this.#drop(req.ExecutionID)
      return this.#fail(order.job, node, reasonOf(accepted.code), accepted.code, 'bid_accepted')
    }
    const done = await run
    if (done === null) return // stopped
    if (this.#stopped) return
    if (done.kind === 'OnRunComplete') this.#event('job.complete', node, { job: order.job })
    else this.#fail(order.job, node, 'compute_failure', 'COMPUTE_FAILURE', 'run')
  }

  #await(
    req: JobRequest,
    node: string,
    stage: Pending['stage'],
    timeoutMs: number | null,
  ): Promise<{ kind: CallbackKind; body: JobCallback } | null> {
    return new Promise((resolve) => {
      const timer = timeoutMs === null ? null : setTimeout(() => this.#drop(req.ExecutionID), timeoutMs)
      this.#pending.set(req.ExecutionID, {
        job: req.JobID,
        node,
        stage,
        settle: (cb) => {
          if (timer !== null) clearTimeout(timer)
          resolve(cb)
        },
      })
    })
  }

  #drop(execution: string): void {
    const p = this.#pending.get(execution)
    if (p === undefined) return
    this.#pending.delete(execution)
    p.settle(null)
  }

  /**
   * A callback for this orchestrator. One for an execution it is not waiting for (unknown, late
   * after a timeout, or the wrong stage) is ignored, as a requester ignores callbacks of
   * executions it no longer tracks.
   */
  onCallback(kind: CallbackKind, body: JobCallback): void {
    const p = this.#pending.get(body.ExecutionID)
    if (p === undefined || p.node !== body.NodeID) return
    const expected = p.stage === 'bid' ? kind === 'OnBidComplete' : kind === 'OnRunComplete' || kind === 'OnComputeFailure'
    if (!expected) return
    this.#pending.delete(body.ExecutionID)
    p.settle({ kind, body })
  }

  /** executions waiting for a callback */
  get inFlight(): number {
    return this.#pending.size
  }

  stop(): void {
    this.#stopped = true
    for (const id of [...this.#pending.keys()]) this.#drop(id)
  }
}
