/**
 * What a libp2p-mode orchestrator knows about compute nodes (docs/design.md, "libp2p mode"): an
 * in-memory map of the last node info per node, forgotten `ttl` after the last one. There is no
 * registration and no heartbeat: being in the store is what CONNECTED means, expiry is
 * DISCONNECTED. Pure, like sim/transports/nats/orchestrator/heartbeat-server.ts: every method takes the time.
 */
export interface NodeInfoRecord {
  nodeId: string
  peerId: string
  seq: number
  lastSeen: number
  /** the listen multiaddrs its latest info announced (none: it cannot be dialled) */
  addrs: string[]
}

export interface AddOutcome {
  /** the node was not in the store (first info, or first since it expired) */
  added: boolean
  /** this Seq was already seen (the same info arriving twice); nothing was updated */
  duplicate: boolean
}

export class NodeInfoStore {
  readonly #nodes = new Map<string, NodeInfoRecord>()
  readonly #ttl: number

  constructor(ttl: number) {
    this.#ttl = ttl
  }

  get(nodeId: string): NodeInfoRecord | undefined {
    return this.#nodes.get(nodeId)
  }

  list(): NodeInfoRecord[] {
    return [...this.#nodes.values()]
  }

  get size(): number {
    return this.#nodes.size
  }

  add(nodeId: string, peerId: string, seq: number, now: number, addrs: string[] = []): AddOutcome {
    const existing = this.#nodes.get(nodeId)
    // gossipsub de-duplicates by message id, but a node that restarts numbers from 1 again, so
    // only an equal Seq is a duplicate; a lower one is a restarted node and is news.
    if (existing !== undefined && existing.seq === seq) return { added: false, duplicate: true }
    this.#nodes.set(nodeId, { nodeId, peerId, seq, lastSeen: now, addrs })
    return { added: existing === undefined, duplicate: false }
  }

  /** Removes nodes silent for longer than the TTL; returns their ids. */
  expire(now: number): string[] {
    const gone: string[] = []
    for (const n of this.#nodes.values()) {
      if (now - n.lastSeen > this.#ttl) gone.push(n.nodeId)
    }
    for (const id of gone) this.#nodes.delete(id)
    return gone
  }
}
