import type { Libp2pTimers } from '../model/libp2p-timers.ts'
import type { Direction } from '../core/links.ts'
import type { ProfileName, Timers } from '../model/profiles.ts'
import type { Secret } from '../core/secret.ts'
import type { HostResources } from '../core/hosts.ts'

/**
 * A fully resolved run (docs/scenarios.md, "Configuration layers"): every layer applied, every
 * default filled, every duration in milliseconds. Nothing reads configuration after this;
 * run.json records it (no secrets: the token is a Secret, which serialises as ***).
 *
 * The timeline's steps are the step registry's (sim/steps): each kind resolves its own
 * `PlanStep` with at least `kind` and `text`; the registry dispatches on `kind`.
 */
export interface PlanStep {
  kind: string
  /** one line for the console and step events */
  text: string
}

/** Names of the transports and backends (their registries live in sim/transports, sim/backends). */
export const TRANSPORT_NAMES = ['nats', 'libp2p'] as const
export type TransportName = (typeof TRANSPORT_NAMES)[number]
export const BACKEND_NAMES = ['process', 'netns', 'docker'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

/** Which server a node dials next after losing one: go (nats.go, Bacalhau's client) or js (nats.js). */
export type ServerOrder = 'go' | 'js'

/**
 * Who runs the compute nodes: `sim`, netsim's simulated nodes (nats.js taught nats.go's order),
 * or `nats.go`, real nats.go clients with Bacalhau's options in the reference client
 * (sim/fleet/goref/), which the simulated node is calibrated against (docs/calibration.md).
 */
export const FLEET_CLIENTS = ['sim', 'nats.go'] as const
export type FleetClient = (typeof FLEET_CLIENTS)[number]

/** A fault with every choice made: type, concrete target, durations in ms. */
export interface PlanFault {
  /** a fault type of the registry (sim/faults) */
  type: string
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

export const STATS = ['count', 'missing', 'min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'] as const
export type Stat = (typeof STATS)[number]

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
  /** what the group's host may use (docker: its container's limits) */
  resources?: HostResources
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
  transport: TransportName
  /** the transports the scenario compares (`transports:`); just `[transport]` otherwise */
  transports: TransportName[]
  /** where hosts live and how links break (sim/backends) */
  backend: BackendName
  profile: ProfileName
  timeScale: number
  seed: number
  /** the fault type of `fault: default` steps (--fault) */
  fault: string
  /** scaled */
  timers: Timers
  /** libp2p mode's timers, scaled (sim/model/libp2p-timers.ts); used when transport is libp2p */
  libp2pTimers: Libp2pTimers
  heartbeatSubjects: string[]
  /** where orchestrators keep node membership: the profile's JetStream bucket, and its replicas */
  membership: { bucket: string; replicas: number }
  orchestrators: {
    count: number
    manualApproval: boolean
    /** nats-server's lame-duck timers: the profile's (scaled) unless the scenario sets them */
    lameDuck: { durationMs: number; graceMs: number }
    /** the most the run will have: at start, or after its scale steps */
    max: number
    /** cluster listener and routes: more than one orchestrator, now or after a scale step */
    clustered: boolean
    /** what each orchestrator's host may use (docker: its container's limits) */
    resources?: HostResources
  }
  groups: PlanGroup[]
  auth: PlanAuth
  timeline: PlanStep[]
  assertions: PlanAssertion[]
  workers: number
  startConcurrency: number
  serverOrder: ServerOrder
  client: FleetClient
  reportsDir: string
  natsServerBin: string | null
  configFile: string | null
}

/** Nodes per group, and the total under `all`: the `nodes` column of summary.csv. */
export const nodesPerGroup = (plan: Pick<RunPlan, 'groups'>): Record<string, number> => {
  const nodes: Record<string, number> = { all: 0 }
  for (const g of plan.groups) {
    nodes[g.name] = g.count
    nodes['all'] = (nodes['all'] as number) + g.count
  }
  return nodes
}
