import { abandon } from '../../core/abandon.ts'
import type { PeerId, Stream } from '@libp2p/interface'
import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../core/events.ts'
import { now } from '../../core/clock.ts'
import { NetsimError } from '../../core/errors.ts'
import { createHost, type Host } from './host.ts'
import { parsePeerAddress, checkPeerIdentity, type PeerAddress } from './peer-address.ts'
import { NODE_INFO_TOPIC, ASK_FOR_BID_PROTOCOL, encodeNodeInfo, type AskForBidReply } from './protocol.ts'
import { readFrame, writeFrame } from './framing.ts'
import { dialErrorCode } from './dial-error.ts'
import { startInfoSchedule } from './info-schedule.ts'
import type { Libp2pTimers } from '../../model/libp2p-timers.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { Executor } from '../../jobs/executor.ts'
import { asJobRequest, CALLBACK_PROTOCOLS, COMPUTE_PROTOCOLS, type CallbackKind, type JobCallback, type JobRequest } from '../../jobs/job-protocol.ts'

export interface Libp2pNodeSpec {
  transport: 'libp2p'
  id: string
  group: string
  /** Bacalhau's `--peer` values: orchestrator multiaddrs ending in /p2p/<peer id> */
  peers: string[]
  /**
   * Whether the node listens. A node behind NAT has no address anyone can dial: it can only
   * dial out, and is reachable only over connections it opened itself.
   */
  dialable: boolean
  timers: Libp2pTimers
  seed: number
  /**
   * Subscribe to node info as well as publish it (default true, as Bacalhau: every node's
   * transport subscribes). It puts compute nodes in the gossip mesh, so each one receives and
   * verifies most other nodes' infos: O(N) per node, O(N²) for a process that hosts N of them.
   * false keeps only what orchestrators need (publishes reach them through floodPublish) and is
   * the way to host many nodes per process; say so when reporting such a run.
   */
  subscribe?: boolean
}

/** One configured orchestrator, by peer id (Bacalhau groups `--peer` addresses by id). */
interface Orchestrator {
  addrs: PeerAddress[]
  /** never: not connected yet; lost: was connected, is not (an outage is in progress) */
  state: 'never' | 'connected' | 'lost'
  dialing: boolean
  /** node.reconnecting was emitted for the current outage */
  reconnecting: boolean
}

/**
 * One simulated Bacalhau compute node in libp2p mode (docs/design.md, "libp2p mode"), following
 * pkg/libp2p/host.go `ConnectToPeersContinuously`: dial every `--peer` once (any failure stops
 * the node, as Bacalhau exits), then re-dial the unconnected ones every `redial_interval`.
 * Node info is gossiped on `bacalhau-node-info` on the publisher's schedule (info-schedule.ts),
 * counted from the end of the first pass; `ask_for_bid` streams are answered.
 *
 * Events use the NATS node's names where the idea is the same:
 * - `node.connected` {server}: the first orchestrator dialled successfully;
 * - `node.error` {phase:'connect', code, message, server}: the first pass failed; start()
 *   returns false;
 * - `node.pool` {servers}: libp2p has no server pool that grows by discovery. It is emitted once,
 *   after the first connect, with every configured peer: the node knows all of them from the
 *   start, which is the truth in this mode, and keeps the discovery metrics (full_pool_ms) fed;
 * - `node.disconnected` / `node.reconnecting` / `node.reconnected` {server} per orchestrator,
 *   from libp2p's peer:connect / peer:disconnect, so a connection re-opened by the orchestrator
 *   (it dials a dialable node) counts as a reconnect too.
 */
export class Libp2pComputeNode {
  readonly spec: Libp2pNodeSpec
  readonly #emit: (e: RawEvent) => void
  readonly #orchs = new Map<string, Orchestrator>()
  #host: Host | null = null
  #redial: NodeJS.Timeout | null = null
  #stopSchedule: (() => void) | null = null
  #seq = 0
  #unheard = 0
  #stopping = false
  readonly #executor: Executor

  constructor(spec: Libp2pNodeSpec, emit: (e: RawEvent) => void) {
    this.spec = spec
    this.#emit = emit
    this.#executor = new Executor(spec.id, (req, kind, body) => this.#callback(req, kind, body), emit)
  }

  #event<K extends EventKind>(kind: K, data: DataOf<K>): void {
    this.#emit(makeEvent(kind, { node: this.spec.id }, data))
  }

  get host(): Host {
    if (this.#host === null) throw new NetsimError('E_WORKER', `libp2p node ${this.spec.id} is not started`)
    return this.#host
  }

  get peerId(): string {
    return this.host.peerId.toString()
  }

  /** Its dialable address with /p2p/, or null for a node that does not listen. */
  get multiaddr(): string | null {
    return this.#host?.getMultiaddrs()[0]?.toString() ?? null
  }

  /** Node-info publishes so far (the last Seq sent). */
  get published(): number {
    return this.#seq
  }

  /**
   * Publishes that reached no peer: sent before the node knew any subscriber (gossipsub learns
   * subscriptions from the other side's stream, see the report on fleet starts) or while
   * disconnected.
   */
  get unheard(): number {
    return this.#unheard
  }

  /** Resolves true once connected to every configured peer; false when the node stopped. */
  async start(): Promise<boolean> {
    const { spec } = this
    // `transport` tells the metrics and the live state that this node neither registers nor
    // grows its pool (docs/design.md, "libp2p mode").
    this.#event('node.start', { group: spec.group, transport: 'libp2p' })
    if (spec.peers.length === 0) throw new NetsimError('E_CONFIG', `group "${spec.group}": a libp2p compute node needs at least one --peer`)
    for (const text of spec.peers) {
      const addr = parsePeerAddress(text, spec.group)
      const key = addr.peerId.toString()
      const o = this.#orchs.get(key)
      if (o) o.addrs.push(addr)
      else this.#orchs.set(key, { addrs: [addr], state: 'never', dialing: false, reconnecting: false })
    }

    const host = await createHost({ listen: spec.dialable, seed: spec.seed, role: 'compute' })
    this.#host = host
    await host.handle(ASK_FOR_BID_PROTOCOL, (stream) => this.#answer(stream, (req) => this.#executor.onAskForBid(req), true))
    await host.handle(COMPUTE_PROTOCOLS.BidAccepted, (stream) => this.#answer(stream, (req) => this.#executor.onBidAccepted(req), false))
    if (spec.subscribe ?? true) host.services.pubsub.subscribe(NODE_INFO_TOPIC)
    host.addEventListener('peer:connect', (evt) => this.#onConnect(evt.detail))
    host.addEventListener('peer:disconnect', (evt) => this.#onDisconnect(evt.detail))

    // First pass: every peer, in order, as Bacalhau's ConnectToPeers; it reports all failures
    // together after trying each.
    const failures: { server: string; code: string; message: string }[] = []
    let connected = false
    for (const o of this.#orchs.values()) {
      const r = await this.#dial(o)
      if (!r.ok) failures.push(r)
      else if (!connected) {
        connected = true
        this.#event('node.connected', { server: r.server })
      }
    }
    const first = failures[0]
    if (first !== undefined) {
      const message = failures.map((f) => `${f.server}: ${f.message}`).join('; ')
      this.#event('node.error', { phase: 'connect', code: first.code, message, server: first.server })
      await this.stop(false)
      return false
    }
    this.#event('node.pool', { servers: spec.peers })
    this.#redial = setInterval(() => this.#redialAll(), spec.timers.redial_interval)
    this.#stopSchedule = startInfoSchedule(spec.timers, () => void this.#publish())
    return true
  }

  async #dial(o: Orchestrator): Promise<{ ok: true; server: string } | { ok: false; server: string; code: string; message: string }> {
    const first = o.addrs[0] as PeerAddress
    o.dialing = true
    try {
      const conn = await this.host.dial(
        o.addrs.map((a) => a.multiaddr),
        { signal: AbortSignal.timeout(this.spec.timers.dial_timeout) },
      )
      checkPeerIdentity(first, conn.remotePeer, this.spec.group)
      this.#markConnected(o)
      return { ok: true, server: first.text }
    } catch (err) {
      const code = err instanceof NetsimError ? 'PEER_ID_MISMATCH' : dialErrorCode(err)
      return { ok: false, server: first.text, code, message: (err as Error).message }
    } finally {
      o.dialing = false
    }
  }

  #redialAll(): void {
    for (const o of this.#orchs.values()) {
      if (o.state === 'connected' || o.dialing || this.#stopping) continue
      if (!o.reconnecting) {
        o.reconnecting = true
        this.#event('node.reconnecting', { server: o.addrs[0]?.text })
      }
      // A failed re-dial is retried at the next tick, silently, as Bacalhau logs and retries.
      void this.#dial(o)
    }
  }

  #onConnect(peer: PeerId): void {
    const o = this.#orchs.get(peer.toString())
    if (o !== undefined) this.#markConnected(o)
  }

  /**
   * Called from both peer:connect and a successful dial: which comes first is libp2p's
   * business, and the reconnect must be reported once either way.
   */
  #markConnected(o: Orchestrator): void {
    if (this.#stopping) return
    if (o.state === 'lost') this.#event('node.reconnected', { server: o.addrs[0]?.text ?? '' })
    o.state = 'connected'
    o.reconnecting = false
  }

  #onDisconnect(peer: PeerId): void {
    const o = this.#orchs.get(peer.toString())
    if (o === undefined || this.#stopping || o.state !== 'connected') return
    o.state = 'lost'
    this.#event('node.disconnected', { server: o.addrs[0]?.text })
  }

  async #publish(): Promise<void> {
    const host = this.#host
    if (host === null || this.#stopping) return
    const Seq = ++this.#seq
    try {
      // With no connected subscriber the message goes nowhere (no buffering, unlike NATS).
      const Addrs = host.getMultiaddrs().map((a) => a.toString())
      const r = await host.services.pubsub.publish(NODE_INFO_TOPIC, encodeNodeInfo({ NodeID: this.spec.id, PeerID: this.peerId, Seq, Addrs }))
      if (r.recipients.length === 0) this.#unheard++
    } catch (err) {
      if (!this.#stopping) this.#event('node.error', { phase: 'publish', code: (err as Error).name, message: (err as Error).message })
    }
  }

  /**
   * Answers one compute call. A job's request carries an execution and goes to the executor;
   * the plain `ask_for_bid` step's does not and gets the ack as its bid (`plainOk`).
   */
  async #answer(stream: Stream, onJob: (req: JobRequest) => AskForBidReply, plainOk: boolean): Promise<void> {
    try {
      const req = asJobRequest(await readFrame(stream))
      const reply: AskForBidReply = req === null ? { Accepted: plainOk, NodeID: this.spec.id } : onJob(req)
      await writeFrame(stream, reply)
      await stream.close()
    } catch (err) {
      stream.abort(err as Error)
    }
  }

  /**
   * A callback to the orchestrator that created the execution: a stream to its peer, over a
   * connection that exists or a dial to the addresses the request gave. If that orchestrator is
   * gone the callback fails here (libp2p has no one else to deliver it).
   */
  async #callback(req: JobRequest, kind: CallbackKind, body: JobCallback): Promise<{ ok: true } | { ok: false; code: string }> {
    const to = req.OrchestratorPeer
    const host = this.#host
    if (to === undefined || host === null) return { ok: false, code: 'UNREACHABLE' }
    const signal = AbortSignal.timeout(this.spec.timers.dial_timeout)
    let stream: Stream | undefined
    try {
      const peer = peerIdFromString(to.PeerID)
      const open = host.getConnections(peer).find((c) => c.status === 'open')
      stream =
        open !== undefined
          ? await open.newStream(CALLBACK_PROTOCOLS[kind], { signal })
          : await host.dialProtocol(
              to.Addrs.map((a) => multiaddr(a)),
              CALLBACK_PROTOCOLS[kind],
              { signal },
            )
      const reading = readFrame(stream)
      abandon(reading, 'awaited below; a write that fails first must not leave its rejection unhandled')
      await writeFrame(stream, body)
      await reading
      await stream.close({ signal })
      return { ok: true }
    } catch (err) {
      stream?.abort(err as Error)
      return { ok: false, code: signal.aborted ? 'TIMEOUT' : dialErrorCode(err) }
    }
  }

  /** Closes the host; `report` says whether to record a `node.stopped` event. */
  async stop(report = true): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    if (this.#redial) clearInterval(this.#redial)
    this.#stopSchedule?.()
    this.#executor.stop()
    if (report) this.#event('node.stopped', undefined)
    await this.#host?.stop()
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }
}
