/**
 * Bacalhau's job negotiation as both transports carry it (docs/design.md, "Dispatcher and jobs"), reduced to
 * what the simulation needs:
 *
 *   orchestrator ──AskForBid──────► node    (request/reply: an ack)
 *   orchestrator ◄─OnBidComplete─── node    (callback: the bid)
 *   orchestrator ──BidAccepted────► node    (request/reply: an ack; the node starts the run)
 *   orchestrator ◄─OnRunComplete─── node    (callback, after the run) or OnComputeFailure
 *
 * Callbacks go to the orchestrator that created the execution, by name (NATS subject) or peer
 * (libp2p stream): if that orchestrator is gone, nobody hears them.
 */
export const CALLBACK_KINDS = ['OnBidComplete', 'OnRunComplete', 'OnComputeFailure'] as const
export type CallbackKind = (typeof CALLBACK_KINDS)[number]
export type ComputeCall = 'AskForBid' | 'BidAccepted'

/** NATS subjects (Bacalhau v1.4+): calls to `node.compute.<node>`, callbacks to `node.orchestrator.<orch>`. */
/** `call` '*' is the wildcard a node subscribes to for all of them. */
export const computeSubject = (node: string, call: ComputeCall | '*'): string => `node.compute.${node}.${call === '*' ? '*' : `${call}/v1`}`
export const callbackSubject = (orch: string, kind: CallbackKind): string => `node.orchestrator.${orch}.${kind}/v1`
/** What an orchestrator subscribes to for its own callbacks. */
export const callbackWildcard = (orch: string): string => `node.orchestrator.${orch}.*`

/** libp2p stream protocols, Bacalhau's ids (the pre-NATS transport). */
export const COMPUTE_PROTOCOLS: Record<ComputeCall, string> = {
  AskForBid: '/bacalhau/compute/ask_for_bid/1.0.0',
  BidAccepted: '/bacalhau/compute/bid_accepted/1.0.0',
}
export const CALLBACK_PROTOCOLS: Record<CallbackKind, string> = {
  OnBidComplete: '/bacalhau/callback/on_bid_complete/1.0.0',
  OnRunComplete: '/bacalhau/callback/on_run_complete/1.0.0',
  OnComputeFailure: '/bacalhau/callback/on_compute_failure/1.0.0',
}

/**
 * The body of AskForBid and BidAccepted. `ExecutionID` marks a job call (the plain
 * `ask_for_bid` step sends none and takes the ack as the bid). `Orchestrator` names the
 * creator, where callbacks go; over libp2p `OrchestratorPeer` says how to reach it.
 */
export interface JobRequest {
  JobID: string
  ExecutionID: string
  Orchestrator: string
  OrchestratorPeer?: { PeerID: string; Addrs: string[] }
  /** how long the simulated run takes on the node */
  RunMs: number
  /** the run ends in OnComputeFailure instead of OnRunComplete */
  Fail: boolean
}

export interface JobCallback {
  JobID: string
  ExecutionID: string
  NodeID: string
  /** OnBidComplete: whether the node bids */
  Accepted?: boolean
  /** OnComputeFailure */
  ErrorMessage?: string
}

/** Untrusted input (a network message): null unless it is a well-formed job request. */
export const asJobRequest = (v: unknown): JobRequest | null => {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Partial<JobRequest>
  if (typeof r.JobID !== 'string' || typeof r.ExecutionID !== 'string' || typeof r.Orchestrator !== 'string') return null
  if (typeof r.RunMs !== 'number' || !Number.isFinite(r.RunMs) || r.RunMs < 0 || typeof r.Fail !== 'boolean') return null
  return r as JobRequest
}

export const asJobCallback = (v: unknown): JobCallback | null => {
  if (typeof v !== 'object' || v === null) return null
  const c = v as Partial<JobCallback>
  if (typeof c.JobID !== 'string' || typeof c.ExecutionID !== 'string' || typeof c.NodeID !== 'string') return null
  return c as JobCallback
}

/** One job as the harness hands it to an orchestrator (over IPC): what to run and how to choose a node. */
export interface JobOrder {
  job: string
  runMs: number
  fail: boolean
  /** a uniform draw in [0, 1) from the run's seed: which eligible node gets it */
  pick: number
  /** only nodes of this group (ids `<group>-<n>`); null: any */
  group: string | null
  /** the orchestrator's budget for each call and for the bid to come back */
  timeoutMs: number
}

/** Why an orchestrator gave up on a job (`job.failed` data.reason). */
export type JobFailReason = 'no_nodes' | 'no_responders' | 'timeout' | 'unreachable' | 'rejected' | 'compute_failure' | 'error'

/** A call's failure code (NATS or libp2p, see natsErrorCode / dialErrorCode) as a reason. */
export const reasonOf = (code: string): JobFailReason => {
  switch (code) {
    case 'NO_RESPONDERS':
      return 'no_responders'
    case 'TIMEOUT':
      return 'timeout'
    case 'UNREACHABLE':
    case 'UNKNOWN':
      return 'unreachable'
    case 'REJECTED':
      return 'rejected'
    default:
      return 'error'
  }
}
