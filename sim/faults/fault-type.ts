import type { Cluster, Member, TransportCapability } from '../core/cluster.ts'
import type { LinkEffect } from '../core/links.ts'
import type { BackendCapability } from '../core/hosts.ts'
import type { PlanFault } from '../plan/run-plan.ts'

/**
 * One kind of fault (toxiproxy's model: `Register("latency", new(LatencyToxic))`). Each type is
 * one module of this folder exporting one of these; index.ts registers it by name. Parsing,
 * describing, plan checks and applying all read the registry, so adding a fault type is adding
 * a file (and its test).
 */
export type FaultParam = 'latency' | 'jitter' | 'rate'

/** What a plan needs for a fault or a step: a capability its transport or its backend must offer. */
export type Requirement =
  { of: 'transport'; capability: TransportCapability; why: string } | { of: 'backend'; capability: BackendCapability; why: string }

interface FaultTypeBase {
  readonly name: string
  /** one line: what it does (docs, --help, errors listing the known types) */
  readonly summary: string
  /** it cuts nodes off, so failover metrics apply (latency and bandwidth only slow links) */
  readonly disruptive: boolean
  /** options it takes besides target, direction, probability and duration */
  readonly params: readonly FaultParam[]
  /** a problem with its options the schema cannot see (a latency fault without latency), or null */
  check?(f: PlanFault): string | null
}

/** A fault on an orchestrator: its server and control plane together. */
export interface ProcessFaultType extends FaultTypeBase {
  readonly acts: 'process'
  /** what the transport must offer (lame duck: NATS only) */
  requires(): Requirement[]
  apply(member: Member, cluster: Cluster): Promise<void> | void
  /** undoes it; a crashed orchestrator heals by coming back */
  heal(member: Member, cluster: Cluster): Promise<void> | void
}

/** A fault on a node group's links to some orchestrators; the backend's links apply its effect. */
export interface LinkFaultType extends FaultTypeBase {
  readonly acts: 'link'
  effect(f: PlanFault): LinkEffect
}

export type FaultType = ProcessFaultType | LinkFaultType
