import { settle } from '../../../core/abandon.ts'
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node'
import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../../core/events.ts'
import { now } from '../../../core/clock.ts'
import { NodeStore } from './node-store.ts'
import { natsErrorCode } from '../nats-error-code.ts'
import { Requester, type CallResult } from '../../../jobs/requester.ts'
import {
  asJobCallback,
  callbackWildcard,
  computeSubject,
  CALLBACK_KINDS,
  type CallbackKind,
  type ComputeCall,
  type JobOrder,
  type JobRequest,
} from '../../../jobs/job-protocol.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export interface ControlPlaneSpec {
  name: string
  /** `host:port` of its own server */
  server: string
  token?: string
  heartbeatSubjects: string[]
  checkPeriod: number | null
  disconnectAfter: number | null
  manualApproval: boolean
  /** the nodes' heartbeat period: a heartbeat later than 1.5 of it is worth an event */
  heartbeatInterval: number | null
  /** report every heartbeat (during faults), not just the first, the late and state changes */
  verbose: boolean
}

/**
 * An orchestrator's control plane (docs/design.md), a NATS client of its own embedded server:
 * the node manager (RegisterNode / UpdateNodeInfo / UpdateResources) and the heartbeat server.
 * No queue groups, as in Bacalhau: with several orchestrators every one of them receives every
 * heartbeat and management request, and the requester takes the first reply.
 */
export class ControlPlane {
  readonly spec: ControlPlaneSpec
  readonly store: NodeStore
  readonly #emit: (e: RawEvent) => void
  #nc: NatsConnection | null = null
  #check: NodeJS.Timeout | null = null
  #verbose: boolean
  readonly #requester: Requester

  constructor(spec: ControlPlaneSpec, emit: (e: RawEvent) => void) {
    this.spec = spec
    this.#emit = emit
    this.store = new NodeStore({ manualApproval: spec.manualApproval, disconnectAfter: spec.disconnectAfter })
    this.#verbose = spec.verbose
    this.#requester = new Requester(
      {
        name: spec.name,
        // As Bacalhau's node selector: approved and currently connected. A node known here only
        // from heartbeats (this orchestrator restarted or joined after it registered) counts:
        // Bacalhau's node store outlives a restart, this one does not, and nodes never register twice.
        eligibleNodes: () =>
          this.store.list().flatMap((n) => ((n.membership === 'APPROVED' || n.membership === null) && n.connection === 'CONNECTED' ? [n.id] : [])),
        call: (node, call, req, timeoutMs) => this.#call(node, call, req, timeoutMs),
      },
      emit,
    )
  }

  /**
   * Every heartbeat of every node reaches every orchestrator: at 10,000 nodes that is thousands
   * of events a second that say nothing new in steady state. Quiet mode reports a node's first
   * heartbeat, late ones and state changes; the harness turns verbose mode on once faults start,
   * when the first heartbeat after a reconnect is what resume_ms measures.
   */
  setVerbose(on: boolean): void {
    this.#verbose = on
  }

  #event<K extends EventKind>(kind: K, node: string, data: DataOf<K>): void {
    this.#emit(makeEvent(kind, { orch: this.spec.name, node }, data))
  }

  async start(): Promise<void> {
    const { spec } = this
    this.#nc = await connect({
      servers: [spec.server],
      name: `${spec.name}-control-plane`,
      ...(spec.token === undefined ? {} : { token: spec.token }),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 50,
    })
    const nc = this.#nc
    nc.subscribe('node.management.*.RegisterNode/v1', { callback: (_e, m) => this.#onRegister(m) })
    nc.subscribe('node.management.*.UpdateNodeInfo/v1', { callback: (_e, m) => this.#accept(m) })
    nc.subscribe('node.management.*.UpdateResources/v1', { callback: (_e, m) => this.#accept(m) })
    for (const subject of spec.heartbeatSubjects) {
      nc.subscribe(subject.replace('{id}', '*'), { callback: (_e, m) => this.#onHeartbeat(m) })
    }
    // Job callbacks come to this orchestrator by name, whichever server the node is on.
    nc.subscribe(callbackWildcard(spec.name), { callback: (_e, m) => this.#onCallback(m) })
    if (spec.checkPeriod !== null) this.#check = setInterval(() => this.#runCheck(), spec.checkPeriod)
    // Subscriptions must reach the server (and, through routes, the cluster) before nodes ask.
    await nc.flush()
  }

  #onRegister(m: Msg): void {
    const id = m.subject.split('.')[2] as string
    const r = this.store.register(id, now())
    this.#event('orch.register', id, { accepted: r.accepted, membership: r.membership })
    if (r.becameConnected) this.#event('orch.node_state', id, { state: 'CONNECTED' })
    m.respond(
      encoder.encode(
        JSON.stringify(
          r.accepted ? { Accepted: true, Orchestrator: this.spec.name } : { Accepted: false, Reason: r.reason, Orchestrator: this.spec.name },
        ),
      ),
    )
  }

  #accept(m: Msg): void {
    m.respond(encoder.encode(JSON.stringify({ Accepted: true })))
  }

  #onHeartbeat(m: Msg): void {
    let hb: { NodeID?: string; Sequence?: number }
    try {
      hb = JSON.parse(decoder.decode(m.data))
    } catch {
      return
    }
    if (typeof hb.NodeID !== 'string' || typeof hb.Sequence !== 'number') return
    const t = now()
    const before = this.store.get(hb.NodeID)?.lastSeen ?? null
    const r = this.store.heartbeat(hb.NodeID, hb.Sequence, t)
    if (r.duplicate) return
    // Quiet mode: a registered node's first heartbeat says nothing the registration did not
    // (at 10,000 nodes and 3 orchestrators that is 30,000 events during the start); a late one
    // does, and so does one that makes the node CONNECTED (a node never heard of before).
    const late = before === null || this.spec.heartbeatInterval === null || t - before > 1.5 * this.spec.heartbeatInterval
    if (this.#verbose || late || r.becameConnected) this.#event('orch.heartbeat', hb.NodeID, { seq: hb.Sequence })
    if (r.becameConnected) this.#event('orch.node_state', hb.NodeID, { state: 'CONNECTED' })
  }

  /**
   * The dispatcher's AskForBid (`node.compute.<id>.AskForBid/v1`, request/reply) to each node at
   * once; one `orch.bid` event per node: {ok, code, ms, metric}, `ms` from the request to the
   * reply or the failure (NO_RESPONDERS: no node subscribed, i.e. it is not connected anywhere).
   */
  async askForBid(nodes: string[], timeoutMs: number, metric: string): Promise<{ asked: number; ok: number }> {
    const nc = this.#nc
    let ok = 0
    await Promise.all(
      nodes.map(async (id) => {
        const t0 = now()
        const done = (answered: boolean, code: string) =>
          this.#event('orch.bid', id, { ok: answered, code, ms: Math.round((now() - t0) * 1000) / 1000, metric })
        if (nc === null || nc.isClosed()) return done(false, 'CONNECTION_CLOSED')
        try {
          const m = await nc.request(
            `node.compute.${id}.AskForBid/v1`,
            encoder.encode(JSON.stringify({ JobID: metric, Orchestrator: this.spec.name })),
            { timeout: timeoutMs },
          )
          const reply = JSON.parse(decoder.decode(m.data)) as { Accepted?: boolean }
          if (reply.Accepted === true) ok++
          done(reply.Accepted === true, reply.Accepted === true ? 'OK' : 'REJECTED')
        } catch (err) {
          done(false, natsErrorCode(err))
        }
      }),
    )
    return { asked: nodes.length, ok }
  }

  /** A job from the harness's workload (sim/jobs/workload.ts); its outcome is an event. */
  submitJob(order: JobOrder): void {
    void this.#requester.submit(order)
  }

  async #call(node: string, call: ComputeCall, req: JobRequest, timeoutMs: number): Promise<CallResult> {
    const nc = this.#nc
    if (nc === null || nc.isClosed()) return { ok: false, code: 'CONNECTION_CLOSED' }
    try {
      const m = await nc.request(computeSubject(node, call), encoder.encode(JSON.stringify(req)), { timeout: timeoutMs })
      const reply = JSON.parse(decoder.decode(m.data)) as { Accepted?: boolean }
      return reply.Accepted === true ? { ok: true } : { ok: false, code: 'REJECTED' }
    } catch (err) {
      return { ok: false, code: natsErrorCode(err), message: (err as Error).message }
    }
  }

  #onCallback(m: Msg): void {
    const kind = m.subject.split('.')[3]?.replace(/\/v1$/, '') as CallbackKind
    if (!CALLBACK_KINDS.includes(kind)) return
    let body: unknown
    try {
      body = JSON.parse(decoder.decode(m.data))
    } catch {
      return
    }
    const cb = asJobCallback(body)
    if (cb !== null) this.#requester.onCallback(kind, cb)
  }

  #runCheck(): void {
    for (const id of this.store.check(now())) this.#event('orch.node_state', id, { state: 'DISCONNECTED' })
  }

  async stop(): Promise<void> {
    if (this.#check) clearInterval(this.#check)
    this.#requester.stop()
    await settle(this.#nc?.close(), 'the control plane is stopping: a connection that fails to close is gone anyway')
  }
}
