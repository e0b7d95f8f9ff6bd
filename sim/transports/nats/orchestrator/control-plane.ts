import { settle } from '../../../core/abandon.ts'
import { connect, type Msg, type NatsConnection } from '@nats-io/transport-node'
import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../../core/events.ts'
import { now } from '../../../core/clock.ts'
import { runsHeartbeatServer } from '../../../model/liveness.ts'
import { HeartbeatServer, type Connection } from './heartbeat-server.ts'
import { KvMembership } from './kv-membership.ts'
import { MembershipError, type Membership, type MembershipStore, type NodeInfo } from './membership-store.ts'
import { NodeManager, type ManagementReply } from './node-manager.ts'
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

/**
 * What a control plane decides by: the run's liveness, approval and membership settings. The
 * orchestrator passes them through unchanged (orchestrator.ts), so they are listed once, here.
 */
export interface ControlPlaneSettings {
  heartbeatSubjects: string[]
  checkPeriod: number | null
  disconnectAfter: number | null
  manualApproval: boolean
  /** the nodes' heartbeat period: a heartbeat later than 1.5 of it is worth an event */
  heartbeatInterval: number | null
  /** one of Bacalhau's seconds at the run's time scale (ms): the heartbeat server's unit */
  second: number
  /** the JetStream bucket node membership lives in, and its replicas (the bucket is stored in
   *  the orchestrator's server directory, `<dir>/<name>.js`, kept across restarts) */
  membership: { bucket: string; replicas: number }
}

export interface ControlPlaneSpec extends ControlPlaneSettings {
  name: string
  /** `host:port` of its own server */
  server: string
  token?: string
  /** report every heartbeat (during faults), not just the first, the late and state changes */
  verbose: boolean
}

/** A node as the node manager lists it: membership from the store, connection from the heartbeat server. */
export interface NodeView {
  id: string
  membership: Membership
  connection: Connection
  lastSeen: number | null
}

const json = (m: Msg): Record<string, unknown> | null => {
  try {
    const v = JSON.parse(decoder.decode(m.data)) as unknown
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null
  } catch {
    return null
  }
}

/**
 * An orchestrator's control plane (docs/design.md), a NATS client of its own embedded server:
 * the node manager (RegisterNode / UpdateNodeInfo / UpdateResources) over the membership bucket
 * the cluster shares, and the heartbeat server, which alone says whether a node is CONNECTED.
 * No queue groups, as in Bacalhau: with several orchestrators every one of them receives every
 * heartbeat and management request, and the requester takes the first reply. Management
 * requests are handled as they arrive, each on its own: Bacalhau's handler takes them one at a
 * time (nats.go runs a subscription's callback so), but the time scale multiplies their rate
 * (at 0.1, ten times Bacalhau's), and one at a time a control plane fell behind where
 * Bacalhau's would not: at 1,000 nodes, registrations timed out (docs/design.md, "Where netsim
 * simplifies").
 *
 * An orchestrator whose version has no heartbeat server (v1.3.0) has no liveness at all: a
 * node reads as its registration stored it, CONNECTED, from the moment it is in the bucket.
 */
export class ControlPlane {
  readonly spec: ControlPlaneSpec
  readonly #emit: (e: RawEvent) => void
  readonly #liveness: HeartbeatServer | null
  #nc: NatsConnection | null = null
  #store: MembershipStore | null = null
  #manager: NodeManager | null = null
  #check: NodeJS.Timeout | null = null
  #verbose: boolean
  readonly #requester: Requester

  constructor(spec: ControlPlaneSpec, emit: (e: RawEvent) => void) {
    this.spec = spec
    this.#emit = emit
    this.#liveness =
      runsHeartbeatServer(spec) && spec.disconnectAfter !== null
        ? new HeartbeatServer({ disconnectAfter: spec.disconnectAfter, second: spec.second })
        : null
    this.#verbose = spec.verbose
    this.#requester = new Requester(
      {
        name: spec.name,
        // As Bacalhau's node selector: approved in the membership bucket, and CONNECTED.
        eligibleNodes: () => this.nodes().flatMap((n) => (n.membership === 'APPROVED' && n.connection === 'CONNECTED' ? [n.id] : [])),
        call: (node, call, req, timeoutMs) => this.#call(node, call, req, timeoutMs),
      },
      emit,
    )
  }

  /** Every node in the membership bucket, with its connection as the heartbeat server reads it. */
  nodes(): NodeView[] {
    const known = this.#store?.known() ?? new Map<string, Membership>()
    return [...known].map(([id, membership]) => ({
      id,
      membership,
      connection: this.#liveness === null ? 'CONNECTED' : this.#liveness.connection(id),
      lastSeen: this.#liveness?.lastSeen(id) ?? null,
    }))
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
    // As Bacalhau, the store first: an orchestrator that cannot open it does not start.
    const store = await KvMembership.open(nc, { ...spec.membership, readyTimeoutMs: 30_000 })
    this.#store = store
    this.#manager = new NodeManager(store, { manualApproval: spec.manualApproval })
    if (this.#liveness === null) store.onFirstSeen((id) => this.#event('orch.node_state', id, { state: 'CONNECTED' }))
    nc.subscribe('node.management.>', { callback: (_e, m) => void this.#onManagement(m) })
    if (this.#liveness !== null)
      for (const subject of spec.heartbeatSubjects) nc.subscribe(subject.replace('{id}', '*'), { callback: (_e, m) => this.#onHeartbeat(m) })
    // Job callbacks come to this orchestrator by name, whichever server the node is on.
    nc.subscribe(callbackWildcard(spec.name), { callback: (_e, m) => this.#onCallback(m) })
    if (this.#liveness !== null && spec.checkPeriod !== null) this.#check = setInterval(() => this.#runCheck(), spec.checkPeriod)
    // Subscriptions must reach the server (and, through routes, the cluster) before nodes ask.
    await nc.flush()
  }

  /** `node.management.<id>.<Method>/v1`: the method is the subject's last token, as Bacalhau dispatches. */
  async #onManagement(m: Msg): Promise<void> {
    const tokens = m.subject.split('.')
    const id = tokens[2] as string
    const method = tokens.at(-1)
    const manager = this.#manager as NodeManager
    const body = json(m)
    const info = (body?.['NodeInfo'] as NodeInfo | undefined) ?? { NodeID: id, NodeType: 'Compute' }
    let reply: ManagementReply
    try {
      if (method === 'RegisterNode/v1') reply = await manager.register({ ...info, NodeID: id })
      else if (method === 'UpdateNodeInfo/v1') reply = await manager.updateInfo({ ...info, NodeID: id })
      else if (method === 'UpdateResources/v1') reply = await manager.updateResources(id)
      else return
    } catch (err) {
      const code = err instanceof MembershipError ? err.code : 'ERROR'
      if (method === 'RegisterNode/v1') this.#event('orch.register', id, { accepted: false, membership: '', error: code })
      // Bacalhau replies with the error (an AsyncResult's Err); the node treats it as a failure.
      m.respond(encoder.encode(JSON.stringify({ Err: (err as Error).message, Code: code, Orchestrator: this.spec.name })))
      return
    }
    if (method === 'RegisterNode/v1') this.#event('orch.register', id, { accepted: reply.accepted, membership: reply.membership ?? '' })
    m.respond(
      encoder.encode(
        JSON.stringify({
          Accepted: reply.accepted,
          ...(reply.reason === undefined ? {} : { Reason: reply.reason }),
          Orchestrator: this.spec.name,
        }),
      ),
    )
  }

  #onHeartbeat(m: Msg): void {
    const liveness = this.#liveness as HeartbeatServer
    const hb = json(m) as { NodeID?: unknown; Sequence?: unknown } | null
    if (typeof hb?.NodeID !== 'string' || typeof hb.Sequence !== 'number') return
    const t = now()
    const before = liveness.lastSeen(hb.NodeID)
    const r = liveness.heartbeat(hb.NodeID, hb.Sequence, t)
    if (r.duplicate) return
    // Quiet mode: a heartbeat that makes the node CONNECTED (the first one: visible_ms) says so
    // in its state event, and a late one says something; the rest of a steady stream does not
    // (at 10,000 nodes and 3 orchestrators, the first heartbeats alone are 30,000 events).
    const late = before !== null && this.spec.heartbeatInterval !== null && t - before > 1.5 * this.spec.heartbeatInterval
    if (this.#verbose || (late && !r.becameConnected)) this.#event('orch.heartbeat', hb.NodeID, { seq: hb.Sequence })
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
    for (const id of (this.#liveness as HeartbeatServer).check(now())) this.#event('orch.node_state', id, { state: 'DISCONNECTED' })
  }

  async stop(): Promise<void> {
    if (this.#check) clearInterval(this.#check)
    this.#requester.stop()
    await settle(this.#store?.close(), 'the control plane is stopping: nothing of the store outlives the connection')
    await settle(this.#nc?.close(), 'the control plane is stopping: a connection that fails to close is gone anyway')
  }
}
