import { abandon } from '../../core/abandon.ts'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection, PeerId, Stream } from '@libp2p/interface'
import type { Message } from '@libp2p/gossipsub'
import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../core/events.ts'
import { now } from '../../core/clock.ts'
import { NetsimError } from '../../core/errors.ts'
import { createHost, type Host } from './host.ts'
import { parsePeerAddress, checkPeerIdentity } from './peer-address.ts'
import { NodeInfoStore } from './node-info-store.ts'
import { NODE_INFO_TOPIC, ASK_FOR_BID_PROTOCOL, decodeNodeInfo } from './protocol.ts'
import { readFrame, writeFrame } from './framing.ts'
import { dialErrorCode } from './dial-error.ts'
import type { Libp2pTimers } from '../../model/libp2p-timers.ts'
import { Requester } from '../../jobs/requester.ts'
import { asJobCallback, CALLBACK_KINDS, CALLBACK_PROTOCOLS, COMPUTE_PROTOCOLS, type JobOrder } from '../../jobs/job-protocol.ts'

export interface Libp2pOrchestratorSpec {
  name: string
  timers: Libp2pTimers
  /** derives the peer id, so a replayed run has the same addresses' identities */
  seed: number
  /** added after the run started (reported in `orch.start` / `orch.ready`, as in NATS mode) */
  joined?: boolean
  /** TCP port to listen on (default: any free one); a restarted orchestrator keeps its address */
  port?: number
}

/**
 * How an orchestrator → compute call went. `UNREACHABLE` is the finding libp2p mode is about:
 * the orchestrator holds no connection to the node and cannot open one (the node announced no
 * address it can dial, e.g. it is behind NAT, or nothing answers there).
 */
export type AskForBidResult =
  | { ok: true; reply: unknown; via: 'existing-connection' | 'new-dial' }
  | { ok: false; code: 'UNREACHABLE' | 'TIMEOUT' | 'ERROR' | 'UNKNOWN'; message: string }

export interface AskOptions {
  /** bound on the whole call, dial included (default: the timers' `request_timeout`) */
  timeoutMs?: number
  /** the stream protocol (default: ask_for_bid) */
  protocol?: string
  /** where to dial the node when no connection is open (its node info's addresses) */
  addrs?: string[]
}

/**
 * A Bacalhau orchestrator (requester) in libp2p mode (docs/design.md, "libp2p mode"): a listening
 * libp2p host that learns compute nodes only from gossip on `bacalhau-node-info`, keeps them in
 * an in-memory store that forgets them after the TTL, and calls them over streams.
 *
 * Events match the NATS control plane where the idea is the same: first info from a node →
 * `orch.node_state` CONNECTED, expiry → DISCONNECTED, every new info → `orch.heartbeat` {seq}
 * (so the heartbeat metrics work unchanged). There is no `orch.register`: libp2p mode has no
 * registration.
 *
 * The orchestrator does not publish node info of its own (Bacalhau's requester does, as a
 * Requester-type node): it would show up in other orchestrators' stores as if it were a compute
 * node and skew the per-node metrics.
 */
export class Libp2pOrchestrator {
  readonly spec: Libp2pOrchestratorSpec
  readonly store: NodeInfoStore
  readonly #emit: (e: RawEvent) => void
  #host: Host | null = null
  #sweep: NodeJS.Timeout | null = null
  #stopped = false
  readonly #requester: Requester

  constructor(spec: Libp2pOrchestratorSpec, emit: (e: RawEvent) => void) {
    this.spec = spec
    this.#emit = emit
    this.store = new NodeInfoStore(spec.timers.store_ttl)
    const self = this
    this.#requester = new Requester(
      {
        name: spec.name,
        // Callbacks come back as streams the node opens to this peer.
        get peer() {
          return { PeerID: self.peerId, Addrs: self.host.getMultiaddrs().map(String) }
        },
        // libp2p mode has no membership: every node whose info has not expired.
        eligibleNodes: () => this.store.list().map((n) => n.nodeId),
        call: async (node, call, req, timeoutMs) => {
          const r = await this.askNode(node, req, { timeoutMs, protocol: COMPUTE_PROTOCOLS[call] })
          if (!r.ok) return { ok: false, code: r.code, message: r.message }
          return (r.reply as { Accepted?: boolean } | null)?.Accepted === true ? { ok: true } : { ok: false, code: 'REJECTED' }
        },
      },
      emit,
    )
  }

  /** A job from the harness's workload (sim/jobs/workload.ts); its outcome is an event. */
  submitJob(order: JobOrder): void {
    void this.#requester.submit(order)
  }

  #event<K extends EventKind>(kind: K, node: string | undefined, data: DataOf<K>): void {
    this.#emit(makeEvent(kind, { orch: this.spec.name, ...(node === undefined ? {} : { node }) }, data))
  }

  get host(): Host {
    if (this.#host === null) throw new NetsimError('E_CONTROL_PLANE', `libp2p orchestrator ${this.spec.name} is not started`)
    return this.#host
  }

  get peerId(): string {
    return this.host.peerId.toString()
  }

  /** The address compute nodes are given as `--peer`: `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`. */
  get multiaddr(): string {
    const ma = this.host.getMultiaddrs()[0]
    if (ma === undefined) throw new NetsimError('E_CONTROL_PLANE', `libp2p orchestrator ${this.spec.name} has no listen address`)
    return ma.toString()
  }

  async start(): Promise<void> {
    this.#event('orch.start', undefined, { joined: this.spec.joined ?? false })
    const host = await createHost({
      listen: true,
      seed: this.spec.seed,
      role: 'orchestrator',
      ...(this.spec.port === undefined ? {} : { port: this.spec.port }),
    })
    this.#host = host
    host.services.pubsub.addEventListener('message', (evt) => this.#onMessage(evt.detail))
    host.services.pubsub.subscribe(NODE_INFO_TOPIC)
    for (const kind of CALLBACK_KINDS) {
      await host.handle(CALLBACK_PROTOCOLS[kind], async (stream) => {
        try {
          const cb = asJobCallback(await readFrame(stream))
          await writeFrame(stream, { Accepted: cb !== null })
          await stream.close()
          if (cb !== null) this.#requester.onCallback(kind, cb)
        } catch (err) {
          stream.abort(err as Error)
        }
      })
    }
    this.#sweep = setInterval(() => this.#expire(), this.spec.timers.store_check_interval)
    // `client` is what metrics match against a node's pool: here the full /p2p/ multiaddr.
    this.#event('orch.ready', undefined, { client: this.multiaddr, joined: this.spec.joined ?? false })
  }

  /**
   * Dials another orchestrator (Bacalhau: `--peer` on the orchestrator) so that gossip crosses
   * between them. One dial, no redial: orchestrators are not the subject of these scenarios.
   */
  async connectTo(peer: string): Promise<void> {
    const addr = parsePeerAddress(peer, `orchestrator ${this.spec.name}`)
    let conn: Connection
    try {
      conn = await this.host.dial(addr.multiaddr, { signal: AbortSignal.timeout(this.spec.timers.dial_timeout) })
    } catch (cause) {
      throw new NetsimError(
        'E_CONTROL_PLANE',
        `orchestrator ${this.spec.name} could not dial ${peer}: ${dialErrorCode(cause)} ${(cause as Error).message}`,
        { cause },
      )
    }
    checkPeerIdentity(addr, conn.remotePeer, `orchestrator ${this.spec.name}`)
  }

  #onMessage(msg: Message): void {
    if (msg.topic !== NODE_INFO_TOPIC) return
    const info = decodeNodeInfo(msg.data)
    if (info === null) return
    const r = this.store.add(info.NodeID, info.PeerID, info.Seq, now(), info.Addrs ?? [])
    if (r.duplicate) return
    this.#event('orch.heartbeat', info.NodeID, { seq: info.Seq })
    if (r.added) this.#event('orch.node_state', info.NodeID, { state: 'CONNECTED' })
  }

  #expire(): void {
    for (const id of this.store.expire(now())) this.#event('orch.node_state', id, { state: 'DISCONNECTED' })
  }

  /**
   * Asks a compute node for a bid over `/bacalhau/compute/ask_for_bid/1.0.0`. Uses a connection
   * that already exists to the peer (typically the one the node opened when it dialled us) and
   * dials only when there is none: so a node that cannot be dialled is reachable exactly while
   * its own connection lasts.
   */
  async askForBid(nodePeerId: string, body: unknown, opts: AskOptions = {}): Promise<AskForBidResult> {
    let peer: PeerId
    try {
      peer = peerIdFromString(nodePeerId)
    } catch (err) {
      return { ok: false, code: 'ERROR', message: `"${nodePeerId}" is not a peer id: ${(err as Error).message}` }
    }
    const host = this.host
    const timeoutMs = opts.timeoutMs ?? this.spec.timers.request_timeout
    const signal = AbortSignal.timeout(timeoutMs)
    let conn = host.getConnections(peer).find((c) => c.status === 'open')
    const via = conn === undefined ? 'new-dial' : 'existing-connection'
    if (conn === undefined) {
      try {
        // The node info's addresses when it announced any (they end in /p2p/<its id>, so
        // libp2p checks the identity), else whatever the peer store learned (identify).
        const addrs = (opts.addrs ?? []).flatMap((a) => {
          try {
            return [multiaddr(a)]
          } catch {
            return []
          }
        })
        conn = await host.dial(addrs.length > 0 ? addrs : peer, { signal })
      } catch (err) {
        const code = dialErrorCode(err)
        return { ok: false, code: code === 'TIMEOUT' ? 'TIMEOUT' : 'UNREACHABLE', message: `${code}: ${(err as Error).message}` }
      }
    }
    let stream: Stream | undefined
    try {
      stream = await conn.newStream(opts.protocol ?? ASK_FOR_BID_PROTOCOL, { signal })
      const s = stream
      const onAbort = () => s.abort(signal.reason as Error)
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        // Listen before sending so a fast reply cannot race the reader.
        const reading = readFrame(s)
        abandon(reading, 'awaited below; a write that fails first must not leave its rejection unhandled')
        await writeFrame(s, body)
        const reply = await reading
        await s.close({ signal })
        return { ok: true, reply, via }
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    } catch (err) {
      stream?.abort(err as Error)
      if (signal.aborted) return { ok: false, code: 'TIMEOUT', message: `no reply within ${timeoutMs} ms` }
      return { ok: false, code: 'ERROR', message: `${(err as Error).name}: ${(err as Error).message}` }
    }
  }

  /**
   * askForBid by node id, as a requester does: the node must be in the store (known from its
   * gossiped info, which gives its peer id and addresses); a node never heard of, or forgotten
   * after the TTL, is `UNKNOWN`.
   */
  async askNode(nodeId: string, body: unknown, opts: { timeoutMs?: number; protocol?: string } = {}): Promise<AskForBidResult> {
    const rec = this.store.get(nodeId)
    if (rec === undefined) return { ok: false, code: 'UNKNOWN', message: `${this.spec.name} has no node info from ${nodeId}` }
    return this.askForBid(rec.peerId, body, { ...opts, addrs: rec.addrs })
  }

  /** Whether an open connection to the peer exists (either side may have dialled). */
  connectedTo(peerId: string): boolean {
    return this.host.getConnections(peerIdFromString(peerId)).some((c) => c.status === 'open')
  }

  /** Closes every connection to a peer (a fault: what a NAT dropping its mapping does). */
  async hangUp(peerId: string): Promise<void> {
    await this.host.hangUp(peerIdFromString(peerId))
  }

  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    if (this.#sweep) clearInterval(this.#sweep)
    this.#requester.stop()
    if (this.#host === null) return
    await this.#host.stop()
    this.#event('orch.down', undefined, { reason: 'stop' })
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }
}
