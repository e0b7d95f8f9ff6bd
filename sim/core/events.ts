import { now } from './clock.ts'

/**
 * The event model (docs/design.md, "Events"). Every timing netsim reports is derived from these
 * events after the run (sim/metrics); agents never measure durations themselves.
 *
 * Agents (compute workers, orchestrator control planes, the harness) stamp events with an
 * absolute clock reading (`at`, epoch ms with µs resolution, see clock.ts); the recorder turns
 * that into `t`, milliseconds since the run started.
 *
 * Each kind has one shape: who it is about (`node`, `orch`) and its `data`. The union is
 * discriminated by `kind`, as nats.js types its `Status`: `if (e.kind === 'node.pool')
 * e.data.servers` needs no cast.
 */

/** What a fault hit: an orchestrator (process faults) or a group's links to some orchestrators. */
export type FaultApplyData =
  | { type: string; target_kind: 'orchestrator'; id: string; disruptive: boolean; chosen_as?: string }
  | {
      type: string
      target_kind: 'link'
      id: string
      disruptive: boolean
      group: string
      orchestrators: string[]
      direction: string
      probability: number
      chosen_as?: string
    }

/**
 * `chosen_as`: how the target was named when it was not by name (busiest, random,
 * membership_leader), so the fault schedule says why this orchestrator.
 */

/**
 * `disruptive`: the fault cuts nodes off (kill, blackhole...), so failover metrics apply; latency
 * and bandwidth slow links without breaking them. The fault registry (sim/faults) says which.
 */

export interface EventShapes {
  // harness
  'run.start': { data: { run_id: string; scenario: string; transport: string } }
  mark: { data: { name: string } }
  'step.start': { data: { index: number; step: string } }
  'step.end': { data: { index: number; step: string; ok: boolean } }
  /** orch: the target of a process fault */
  'fault.apply': { orch?: string; data: FaultApplyData }
  'fault.heal': { orch?: string; data: { type: string; id: string; target_kind?: 'link'; group?: string } }
  /** where the membership bucket was held when a fault targeted membership_leader (orch: its leader) */
  'membership.placement': { orch?: string; data: { bucket: string; replicas: number; holders: string[] } }
  /** an unauthenticated server tried to join the cluster and listen */
  'rogue.result': { data: { joined: boolean; messages: number; first_ms: number | null; route_auth: boolean; subjects: string[] } }
  // orchestrators
  /** joined: added after the run started (a scale step) */
  'orch.start': { orch: string; data: { joined: boolean } }
  /** client: the address nodes are given (NATS host:port, libp2p its /p2p/ multiaddr) */
  'orch.ready': { orch: string; data: { client: string; joined: boolean; thawed?: boolean } }
  'orch.down': { orch: string; data: { reason: 'kill' | 'stop' | 'freeze' | 'exit'; code?: number | null; signal?: string | null } }
  /** a RegisterNode handled; error: the membership store's code when it could not answer (the node gets an error) */
  'orch.register': { orch: string; node: string; data: { accepted: boolean; membership: string; error?: string } }
  /** one per heartbeat an orchestrator accepted (all of them in verbose mode) */
  'orch.heartbeat': { orch: string; node: string; data: { seq: number } }
  'orch.node_state': { orch: string; node: string; data: { state: 'CONNECTED' | 'DISCONNECTED' } }
  /** one ask_for_bid call (orch: the asker) and how it went */
  'orch.bid': {
    orch: string
    node: string
    data: { ok: boolean; code: string; ms: number; metric: string; via?: string; message?: string }
  }
  // jobs (sim/jobs): the harness submits, the creating orchestrator reports the outcome
  /** orch: the orchestrator it was given to (none when none was up) */
  'job.submit': { orch?: string; data: { job: string; group: string; budget_ms: number; run_ms: number; fail: boolean } }
  /** the node's OnBidComplete arrived */
  'job.bid': { orch: string; node: string; data: { job: string } }
  /** OnRunComplete arrived */
  'job.complete': { orch: string; node: string; data: { job: string } }
  /** the orchestrator gave up on it */
  'job.failed': { orch: string; node?: string; data: { job: string; reason: string; code?: string; stage: string } }
  // compute nodes
  'node.start': { node: string; data: { group: string; expect?: 'rejected'; transport?: 'libp2p' } }
  /** first successful connect; via: the link proxy it dialled, when there is one */
  'node.connected': { node: string; data: { server: string; via?: string } }
  /** lock: its registration lock was present, so it did not ask (orchestrator null) */
  'node.registered': { node: string; data: { accepted: boolean; orchestrator?: string | null; lock?: boolean } }
  'node.register_failed': { node: string; data: { code: string; message: string } }
  /** whenever the client's pool changes */
  'node.pool': { node: string; data: { servers: string[] } }
  'node.disconnected': { node: string; data: { server?: string; via?: string } }
  'node.reconnecting': { node: string; data?: { server?: string } }
  'node.reconnected': { node: string; data: { server: string; via?: string } }
  /** lame-duck notice from its server */
  'node.ldm': { node: string; data: { server: string } }
  /** the client gave up for good */
  'node.closed': { node: string; data: { reason: string; message?: string } }
  'node.error': { node: string; data: { phase: string; code: string; message: string; server?: string } }
  /** the harness stopped it at the end of the run */
  'node.stopped': { node: string; data?: undefined }
  /** a restart_nodes step stopped it to start it again with the same identity; keep_lock: its registration lock kept */
  'node.restart': { node: string; data: { keep_lock: boolean } }
  /** a job's run ended on the node and its callback was sent (or not) */
  'node.job_done': { node: string; data: { job: string; orchestrator: string; ok: boolean; sent: boolean; code?: string } }
}

export type EventKind = keyof EventShapes
export const EVENT_KINDS = [
  'run.start',
  'mark',
  'step.start',
  'step.end',
  'fault.apply',
  'fault.heal',
  'rogue.result',
  'membership.placement',
  'orch.start',
  'orch.ready',
  'orch.down',
  'orch.register',
  'orch.heartbeat',
  'orch.node_state',
  'orch.bid',
  'job.submit',
  'job.bid',
  'job.complete',
  'job.failed',
  'node.start',
  'node.connected',
  'node.registered',
  'node.register_failed',
  'node.pool',
  'node.disconnected',
  'node.reconnecting',
  'node.reconnected',
  'node.ldm',
  'node.closed',
  'node.error',
  'node.stopped',
  'node.restart',
  'node.job_done',
] as const satisfies readonly EventKind[]

/** The fields of one kind, without its time. */
export type EventFields<K extends EventKind> = { kind: K; node?: string; orch?: string } & EventShapes[K]

/** An event as produced by an agent, stamped with an absolute clock reading. */
export type RawEvent<K extends EventKind = EventKind> = K extends EventKind ? { at: number } & EventFields<K> : never

/** An event as recorded: `t` is milliseconds since run start (fractional, µs resolution). */
export type SimEvent<K extends EventKind = EventKind> = K extends EventKind ? { t: number } & EventFields<K> : never

export type DataOf<K extends EventKind> = EventShapes[K]['data']

/**
 * An event of one kind, stamped `at` (default: now). The one place a kind's fields are put
 * together: every agent and the harness emit through it, so each call site is checked against
 * the kind's shape.
 */
export const makeEvent = <K extends EventKind>(kind: K, about: { node?: string; orch?: string }, data: DataOf<K>, at = now()): RawEvent =>
  ({ at, kind, ...about, ...(data === undefined ? {} : { data }) }) as RawEvent

/** Narrows an event to one kind: `events.filter(isKind('node.pool'))`. */
export const isKind =
  <K extends EventKind>(kind: K) =>
  (e: SimEvent): e is SimEvent<K> =>
    e.kind === kind

export const isEventKind = (s: string): s is EventKind => (EVENT_KINDS as readonly string[]).includes(s)
