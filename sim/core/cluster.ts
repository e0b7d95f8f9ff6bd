import type { JobOrder } from '../jobs/job-protocol.ts'
/**
 * What a run needs from its orchestrators, whichever the transport (DESIGN.md §2: transports
 * are small interfaces): OrchestratorCluster (nats-server + control plane per member) and
 * Libp2pCluster (one libp2p host process per member) both have this shape, so steps and faults
 * act on either.
 */
export type MemberState = 'up' | 'frozen' | 'down'

export interface BidTally {
  asked: number
  ok: number
}

export interface RunMember {
  readonly name: string
  readonly state: MemberState
  /** the address nodes are given: NATS `host:port`, libp2p `/ip4/…/tcp/…/p2p/<id>` */
  readonly clientHostPort: string
  readonly pids: number[]
  /** SIGKILL */
  kill(): Promise<void>
  /** SIGTERM, a clean shutdown */
  stop(): Promise<void>
  /** SIGSTOP / SIGCONT */
  freeze(): void
  thaw(): void
  /** NATS only (SIGUSR2); libp2p plans refuse it before the run starts */
  lameDuck(): void
  /** asks each node (by id) for a bid: one `orch.bid` event per node */
  askForBid(nodes: string[], timeoutMs: number, metric: string): Promise<BidTally>
  /** hands a job to its requester (sim/jobs/requester.ts); the outcome arrives as events */
  submitJob(order: JobOrder): void
}

export interface RunCluster {
  readonly members: readonly RunMember[]
  live(): RunMember[]
  get(name: string): RunMember | undefined
  setVerbose(on: boolean): void
  add(): Promise<RunMember>
  restart(name: string, token?: string): Promise<void>
  restartAll(token?: string): Promise<void>
  dispose(): Promise<void>
}
