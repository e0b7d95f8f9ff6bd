import type { Cluster, TransportCapability } from '../core/cluster.ts'
import type { RawEvent } from '../core/events.ts'
import type { Links } from '../core/links.ts'
import type { Placement } from '../core/placement.ts'
import type { Rng } from '../core/rng.ts'
import type { PlanGroup, RunPlan, TransportName } from '../plan/run-plan.ts'

/**
 * A transport plugin (docs/development.md, "Transports"): how orchestrators and compute nodes
 * of one kind talk. NATS (Bacalhau v1.3+) and libp2p (the transport before it) each implement
 * it in their own folder, both roles together. The run never asks which transport it has:
 * what differs is here, or a capability the plan was checked against.
 */
export interface RunSecrets {
  /** the orchestrators' token, what `token: config` groups present */
  token: string
  /** what `token: wrong` groups present */
  wrongToken: string
  /** user/password on cluster routes (--route-auth) */
  routeAuth?: { user: string; password: string }
}

/** What the run gives a transport to start its orchestrators. */
export interface TransportEnv {
  runId: string
  /** the run's private directory (configs, logs, JetStream stores) */
  runDir: string
  record(e: RawEvent): void
  /** where an orchestrator runs (undefined: a plain process here) */
  placement(host: string): Placement | undefined
  /** the backend's links when the run has link faults: orchestrators attach to them as they start */
  links: Links | null
  secrets: RunSecrets
  /** the run's seeded stream (each transport forks its own labels) */
  rng: Rng
  /** nats-server, when the transport runs one */
  binary: string | null
}

/** A simulated compute node in a worker process. */
export interface SimNode {
  /** resolves once it is registered and heartbeating (true), or has stopped for good (false) */
  start(): Promise<boolean>
  /** `report: false`: no `node.stopped` event (a restart, not the end of the run) */
  stop(report?: boolean): Promise<void>
}

export interface TransportPlugin<Spec extends { id: string; group: string } = { id: string; group: string }> {
  readonly name: TransportName
  readonly capabilities: readonly TransportCapability[]
  /** metrics its nodes never have (assertions on them are skipped) */
  readonly absentMetrics: readonly string[]
  /** what the fleet's start-up line calls a node that started (`registered`, `connected`) */
  readonly startedAs: string
  /** the console line that says how it runs (auth, gossip cadence) */
  describe(plan: RunPlan): string
  /** nats-server for this run: required (E_NATS_SERVER_MISSING) or only for run.json's versions */
  binary(plan: RunPlan): string | null
  /** whether nodes of the group send what orchestrators take as heartbeats */
  sendsHeartbeats(group: PlanGroup): boolean
  /** whether nodes of the group can never read CONNECTED at the run's orchestrators; absent: they always can */
  neverConnected?(plan: RunPlan, group: PlanGroup): boolean
  start(plan: RunPlan, env: TransportEnv): Promise<Cluster>
  /** every node's spec, for the workers; `addressFor` is where a group dials an orchestrator */
  nodeSpecs(
    plan: RunPlan,
    orchestrators: { name: string; client: string }[],
    env: { secrets: RunSecrets; rng: Rng; addressFor(group: string, orch: string, client: string): string },
  ): Spec[]
  /** in a worker: the node for a spec (heavy libraries are loaded here, not in the harness) */
  createNode(spec: Spec, emit: (e: RawEvent) => void): Promise<SimNode>
  /** in a worker: what a node keeps across restarts is wiped (NATS: its registration lock); none: nothing is kept */
  wipeNodeStore?(spec: Spec): Promise<void>
}
