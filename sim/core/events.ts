/**
 * The event model. Every timing netsim reports is derived from these events after the run
 * (sim/metrics); agents never measure durations themselves.
 *
 * Agents (compute workers, orchestrator control planes, the harness) stamp events with an
 * absolute clock reading (`at`, epoch ms with µs resolution, see clock.ts); the recorder turns
 * that into `t`, milliseconds since the run started.
 */

export type EventKind =
  // harness
  | 'run.start'
  | 'mark' // data: { name }
  | 'step.start' // data: { index, step }
  | 'step.end' // data: { index, step, ok }
  | 'fault.apply' // orch: target; data: { type, target_kind: 'orchestrator', id }
  | 'fault.heal' // orch: target; data: { type, id }
  | 'rogue.result' // data: { joined, messages, first_ms, route_auth } an unauthenticated server tried to join the cluster
  // orchestrators
  | 'orch.start' // orch; data: { joined: boolean } (joined: added after the run started)
  | 'orch.ready' // orch; data: { client: 'host:port' (libp2p: its /p2p/ multiaddr), joined: boolean }
  | 'orch.down' // orch; data: { reason: 'kill' | 'stop' | 'exit' }
  | 'orch.register' // orch, node; data: { accepted, membership }
  | 'orch.heartbeat' // orch, node; data: { seq }  (one per heartbeat received by that orchestrator)
  | 'orch.node_state' // orch, node; data: { state: 'CONNECTED' | 'DISCONNECTED' }
  | 'orch.bid' // orch (the asker), node; data: { ok, code, ms, metric } one ask_for_bid call and how it went
  // jobs (sim/jobs): the harness submits, the creating orchestrator reports the outcome
  | 'job.submit' // orch (the one it was given to); data: { job, group, budget_ms, run_ms, fail }  (harness)
  | 'job.bid' // orch, node; data: { job } the node's OnBidComplete arrived
  | 'job.complete' // orch, node; data: { job } OnRunComplete arrived
  | 'job.failed' // orch, node?; data: { job, reason, code, stage } the orchestrator gave up on it
  // compute nodes
  | 'node.start' // node; data: { group }
  | 'node.connected' // node; data: { server: 'host:port' } first successful connect
  | 'node.registered' // node; data: { accepted, orchestrator? }
  | 'node.register_failed' // node; data: { code, message }
  | 'node.pool' // node; data: { servers: ['host:port', ...] } whenever the client's pool changes
  | 'node.disconnected' // node; data: { server }
  | 'node.reconnecting' // node
  | 'node.reconnected' // node; data: { server }
  | 'node.ldm' // node; data: { server } lame-duck notice from its server
  | 'node.closed' // node; data: { reason } the client gave up for good
  | 'node.error' // node; data: { code, message }
  | 'node.stopped' // node; the harness stopped it at the end of the run
  | 'node.job_done' // node; data: { job, orchestrator, ok, sent, code? } the run ended and its callback was sent

/** An event as produced by an agent, stamped with an absolute clock reading. */
export interface RawEvent {
  at: number
  kind: EventKind
  node?: string
  orch?: string
  data?: Record<string, unknown>
}

/** An event as recorded: `t` is milliseconds since run start (fractional, µs resolution). */
export interface SimEvent {
  t: number
  kind: EventKind
  node?: string
  orch?: string
  data?: Record<string, unknown>
}
