import type { FaultType, Transport } from './settings-schema.ts'
import type { Libp2pTimers } from '../model/libp2p-timers.ts'
import type { AnyFaultType } from '../steps/steps.ts'
import type { Direction } from '../backends/process/links/link-fault.ts'
import type { ProfileName, Timers } from '../model/profiles.ts'
import type { Condition } from '../steps/steps.ts'
import type { Stat } from './scenario-schema.ts'
import type { ServerOrder } from '../transports/nats/compute/server-order.ts'
import type { Secret } from '../core/secret.ts'
import type { BackendName } from '../core/hosts.ts'

/**
 * A fully resolved run: every layer applied, every default filled, every duration in
 * milliseconds. Nothing reads configuration after this; run.json records it (no secrets).
 */
export type PlanStep =
  | { kind: 'wait'; ms: number; text: string }
  | { kind: 'wait_for'; condition: Condition; timeoutMs: number; text: string; onTimeout?: 'note' }
  | { kind: 'fault'; fault: PlanFault; text: string }
  | { kind: 'chaos'; schedule: ChaosEntry[]; recoverWithinMs: number; text: string }
  | { kind: 'heal'; target: string; text: string }
  | { kind: 'restart'; target: string; rotateToken: boolean; text: string }
  | { kind: 'rogue_orchestrator'; windowMs: number; text: string }
  /** `from`: all | orch-N | busiest | random; `metric`: where the timings go */
  | { kind: 'ask_for_bid'; timeoutMs: number; from: string; metric: string; text: string }
  | { kind: 'scale'; orchestrators: number; text: string }
  | { kind: 'mark'; name: string; text: string }
  | { kind: 'jobs'; jobs: PlanJobs; text: string }

/** A job workload with every duration in ms (see JobsOptions in sim/scenario/steps.ts). */
export interface PlanJobs {
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

/** A fault with every choice made: type, concrete target, durations in ms. */
export interface PlanFault {
  type: AnyFaultType
  /** process faults: orch-N | busiest | random; link faults: a group's links to some orchestrators */
  target: string | { group: string; orchestrator: string }
  direction: Direction
  probability: number
  /** heals by itself after this long */
  durationMs?: number
  latencyMs?: number
  jitterMs?: number
  bytesPerSec?: number
}

/** One fault of a chaos schedule: applied `atMs` after the chaos step starts. */
export interface ChaosEntry {
  atMs: number
  fault: PlanFault & { durationMs: number }
}

export interface PlanAssertion {
  metric: string
  stat: Stat
  group: string
  max?: number
  min?: number
  equals?: number
  /** as written, for the report */
  text: string
}

export interface PlanGroup {
  name: string
  count: number
  seeds: 'spread' | 'all' | string[]
  token: 'config' | 'none' | 'wrong'
  /** --orchestrators template ({orch-N}, {token}, {wrong_token}); overrides seeds */
  orchestrators?: string
  expect: 'accepted' | 'rejected'
  /** the group's version: its nodes' client timers and heartbeat subjects */
  profile: ProfileName
  timers: Timers
  heartbeatSubjects: string[]
  /** libp2p: the nodes listen (false: behind NAT, reachable only over connections they open) */
  dialable: boolean
  /** libp2p: the nodes subscribe to node-info gossip too (default: publish only) */
  gossipSubscribe: boolean
}

export interface PlanAuth {
  /** none: orchestrators accept any client */
  mode: 'token' | 'none'
  /** where the token came from (the value itself is only in `token`) */
  source: 'flag' | 'file' | 'env' | 'config' | 'random'
  style: 'plain' | 'url-special'
  /** serialises as *** */
  token: Secret
  routeAuth: boolean
}

export interface RunPlan {
  scenario: { name: string; file: string; description: string }
  transport: Transport
  /** the transports the scenario compares (`transports:`); just `[transport]` otherwise */
  transports: Transport[]
  /** where hosts live and how links break (sim/backends) */
  backend: BackendName
  profile: ProfileName
  timeScale: number
  seed: number
  fault: FaultType
  /** scaled */
  timers: Timers
  /** libp2p mode's timers, scaled (sim/libp2p/timers.ts); used when transport is libp2p */
  libp2pTimers: Libp2pTimers
  heartbeatSubjects: string[]
  orchestrators: {
    count: number
    manualApproval: boolean
    jetstream: boolean
    lameDuck: { durationMs: number; graceMs: number }
    /** cluster listener and routes: more than one orchestrator, now or after a scale step */
    clustered: boolean
  }
  groups: PlanGroup[]
  auth: PlanAuth
  timeline: PlanStep[]
  assertions: PlanAssertion[]
  workers: number
  startConcurrency: number
  serverOrder: ServerOrder
  reportsDir: string
  natsServerBin: string | null
  configFile: string | null
}
