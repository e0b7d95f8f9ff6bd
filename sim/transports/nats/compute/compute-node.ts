import { settle } from '../../../core/abandon.ts'
import { connect, type NatsConnection, type Status } from '@nats-io/transport-node'
import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../../core/events.ts'
import { now } from '../../../core/clock.ts'
import { createRng } from '../../../core/rng.ts'
import { parseOrchestratorList } from '../../../model/orchestrator-list.ts'
import { goClientOrder, type GoClientOrder } from './server-order.ts'
import { natsErrorCode } from '../nats-error-code.ts'
import { registrationLock } from './registration-lock.ts'
import type { NodeSpec } from './node-spec.ts'
import { Executor } from '../../../jobs/executor.ts'
import { asJobRequest, callbackSubject, computeSubject } from '../../../jobs/job-protocol.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const parseJson = (data: Uint8Array): unknown => {
  try {
    return JSON.parse(decoder.decode(data))
  } catch {
    return null
  }
}

/**
 * One simulated Bacalhau compute node on the NATS transport (docs/design.md, "Compute node"):
 * connect (a failure is fatal, no retry), RegisterNode (failure is fatal), heartbeat #1 at once
 * and then every interval, node-info and resource updates, and failover left to the NATS
 * client's reconnect logic. The client's status stream is turned into typed events.
 */
export class ComputeNode {
  readonly spec: NodeSpec
  readonly #emit: (e: RawEvent) => void
  #nc: NatsConnection | null = null
  #timers: NodeJS.Timeout[] = []
  #seq = 0
  #stopping = false
  #pool = ''
  #executor: Executor | null = null
  #order: GoClientOrder | null = null

  constructor(spec: NodeSpec, emit: (e: RawEvent) => void) {
    this.spec = spec
    this.#emit = emit
  }

  #event<K extends EventKind>(kind: K, data: DataOf<K>): void {
    this.#emit(makeEvent(kind, { node: this.spec.id }, data))
  }

  /** Resolves when the node is registered and heartbeating, or has stopped for good. */
  async start(): Promise<boolean> {
    const { spec } = this
    const t = spec.timers
    this.#event('node.start', spec.expectRejected ? { group: spec.group, expect: 'rejected' } : { group: spec.group })
    const seeds = parseOrchestratorList(spec.orchestrators)
    const urlToken = seeds.find((s) => s.token !== undefined)?.token
    const token = urlToken ?? spec.token
    const rng = createRng(spec.seed)
    // Go client: nats.go's reconnect wait and jitter, applied by the order (server-order.ts).
    const order = spec.serverOrder === 'go' ? goClientOrder(rng, () => t.reconnect_wait + rng.next() * t.reconnect_jitter) : null
    this.#order = order
    try {
      this.#nc = await connect({
        servers: seeds.map((s) => s.hostport),
        name: spec.id,
        ...(token === undefined ? {} : { token }),
        timeout: t.connect_timeout,
        reconnectTimeWait: t.reconnect_wait,
        reconnectJitter: t.reconnect_jitter,
        pingInterval: t.ping_interval,
        maxPingOut: t.max_pings_out,
        maxReconnectAttempts: t.max_reconnects,
        // Ordering is ours (seeded): nats.js would shuffle with Math.random.
        noRandomize: true,
        ...(order === null ? {} : { reconnectToServer: order, reconnectDelayHandler: () => 0 }),
      })
    } catch (err) {
      this.#event('node.error', { phase: 'connect', code: natsErrorCode(err), message: (err as Error).message })
      return false
    }
    const nc = this.#nc
    order?.connected()
    this.#event('node.connected', { server: nc.getServer() })
    this.#reportPool()
    void this.#watchStatus(nc)
    void nc.closed().then((err) => {
      this.#clearTimers()
      if (!this.#stopping) this.#event('node.closed', { reason: err ? natsErrorCode(err) : 'CLOSED', message: err?.message ?? 'closed' })
    })

    if (registrationLock.has(spec.id)) {
      // Its registration lock is present: Bacalhau skips RegisterNode without asking anyone.
      this.#event('node.registered', { accepted: true, orchestrator: null, lock: true })
    } else {
      const registered = await this.#request('RegisterNode/v1', { NodeInfo: { NodeID: spec.id, NodeType: 'Compute', Labels: { group: spec.group } } })
      if (!registered.ok || registered.reply?.Accepted !== true) {
        const failure = !registered.ok
          ? { code: registered.code, message: registered.message }
          : typeof registered.reply?.Err === 'string'
            ? // the orchestrator answered with an error (its membership store failed): not a rejection
              { code: 'ORCHESTRATOR_ERROR', message: `failed to register with requester node: ${registered.reply.Err}` }
            : { code: 'REJECTED', message: String(registered.reply?.Reason ?? 'rejected') }
        this.#event('node.register_failed', failure)
        await this.stop(false)
        return false
      }
      registrationLock.set(spec.id)
      this.#event('node.registered', { accepted: true, orchestrator: registered.reply.Orchestrator ?? null })
    }
    // The dispatcher's calls (docs/design.md): an orchestrator asks the node over its own
    // connection, whichever server that is on, so a node nobody can dial still answers.
    // A job's callbacks are publishes to its creator's subject: buffered while disconnected,
    // heard by nobody if that orchestrator is gone.
    const executor = new Executor(
      spec.id,
      async (req, kind, body) => {
        if (nc.isClosed()) return { ok: false, code: 'CONNECTION_CLOSED' }
        nc.publish(callbackSubject(req.Orchestrator, kind), encoder.encode(JSON.stringify(body)))
        return { ok: true }
      },
      this.#emit,
    )
    this.#executor = executor
    // The dispatcher's calls, on one subscription: every subscription is interest each server
    // of the cluster stores and re-sends on reconnects, and at 10,000 nodes that adds up.
    const askForBid = computeSubject(spec.id, 'AskForBid')
    const bidAccepted = computeSubject(spec.id, 'BidAccepted')
    this.#nc.subscribe(computeSubject(spec.id, '*'), {
      callback: (_err, m) => {
        // A job's call carries an execution; the plain ask_for_bid step's does not and takes
        // the ack as the bid.
        const req = asJobRequest(parseJson(m.data))
        let reply: unknown
        if (m.subject === askForBid) reply = req === null ? { Accepted: true, NodeID: spec.id } : executor.onAskForBid(req)
        else if (m.subject === bidAccepted && req !== null) reply = executor.onBidAccepted(req)
        else reply = { Accepted: false, NodeID: spec.id }
        m.respond(encoder.encode(JSON.stringify(reply)))
      },
    })

    if (t.heartbeat_interval !== null && spec.heartbeatSubjects.length > 0) {
      this.#heartbeat()
      this.#timers.push(setInterval(() => this.#heartbeat(), t.heartbeat_interval))
    }
    this.#timers.push(
      setInterval(() => void this.#update('UpdateResources/v1', { NodeID: spec.id, AvailableCapacity: { CPU: 1 } }), t.resources_interval),
    )
    this.#timers.push(
      setInterval(() => void this.#update('UpdateNodeInfo/v1', { NodeInfo: { NodeID: spec.id, NodeType: 'Compute' } }), t.info_interval),
    )
    return true
  }

  #heartbeat(): void {
    const nc = this.#nc
    if (!nc || nc.isClosed()) return
    // While disconnected the client buffers these; they arrive in a burst after a reconnect.
    const payload = encoder.encode(JSON.stringify({ NodeID: this.spec.id, Sequence: ++this.#seq }))
    for (const subject of this.spec.heartbeatSubjects) nc.publish(subject.replace('{id}', this.spec.id), payload)
  }

  async #request(
    op: string,
    body: unknown,
  ): Promise<
    | { ok: true; reply: Record<string, unknown> & { Accepted?: boolean; Reason?: string; Orchestrator?: string; Err?: string } }
    | { ok: false; code: string; message: string }
  > {
    const nc = this.#nc
    if (!nc) return { ok: false, code: 'CONNECTION_CLOSED', message: 'not connected' }
    try {
      const msg = await nc.request(`node.management.${this.spec.id}.${op}`, encoder.encode(JSON.stringify(body)), {
        timeout: this.spec.timers.register_timeout,
      })
      return { ok: true, reply: JSON.parse(decoder.decode(msg.data)) }
    } catch (err) {
      return { ok: false, code: natsErrorCode(err), message: (err as Error).message }
    }
  }

  /** An info or resources update; a failure or a refusal is logged (an event), as Bacalhau logs it, and changes nothing. */
  async #update(op: string, body: unknown): Promise<void> {
    if (!this.#nc || this.#nc.isClosed()) return
    const r = await this.#request(op, body)
    if (this.#stopping) return
    if (!r.ok) this.#event('node.error', { phase: op, code: r.code, message: r.message })
    else if (typeof r.reply.Err === 'string') this.#event('node.error', { phase: op, code: 'ORCHESTRATOR_ERROR', message: r.reply.Err })
    else if (r.reply.Accepted === false) this.#event('node.error', { phase: op, code: 'REJECTED', message: String(r.reply.Reason ?? 'rejected') })
  }

  #reportPool(): void {
    const nc = this.#nc
    if (!nc) return
    const servers = nc
      .getServers()
      .map((s) => s.listen)
      .sort()
    const key = servers.join(',')
    if (key === this.#pool) return
    this.#pool = key
    this.#event('node.pool', { servers })
  }

  async #watchStatus(nc: NatsConnection): Promise<void> {
    let reconnecting = false
    for await (const s of nc.status() as AsyncIterable<Status>) {
      switch (s.type) {
        case 'disconnect':
          reconnecting = false
          this.#event('node.disconnected', { server: s.server })
          break
        case 'reconnecting':
          // One event per outage, not one per dial attempt.
          if (!reconnecting) this.#event('node.reconnecting', undefined)
          reconnecting = true
          break
        case 'reconnect':
          this.#order?.connected()
          reconnecting = false
          this.#event('node.reconnected', { server: s.server })
          this.#reportPool()
          break
        case 'update':
          this.#reportPool()
          break
        case 'ldm':
          this.#event('node.ldm', { server: s.server })
          break
        case 'error':
          this.#event('node.error', { phase: 'connection', code: natsErrorCode(s.error), message: s.error.message })
          break
        default:
          break
      }
    }
  }

  #clearTimers(): void {
    for (const t of this.#timers) clearInterval(t)
    this.#timers = []
  }

  /** Closes the connection; `report` says whether to record a `node.stopped` event. */
  async stop(report = true): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    this.#clearTimers()
    this.#executor?.stop()
    if (report) this.#event('node.stopped', undefined)
    await settle(this.#nc?.close(), 'the node is stopping: a connection that fails to close is gone anyway')
  }
}
