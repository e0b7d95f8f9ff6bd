/**
 * What one orchestrator knows about compute nodes (docs/design.md): membership from the node
 * manager, connection state from the heartbeat server. Pure: every method takes the time, so
 * the state machine is unit-tested without clocks or sockets.
 *
 * - RegisterNode stores a new node APPROVED (PENDING with manual approval) and CONNECTED;
 *   a REJECTED node is refused.
 * - A heartbeat stamps the node with the orchestrator's own clock and flips it to CONNECTED.
 * - check(now) marks nodes whose last heartbeat is older than `disconnectAfter` DISCONNECTED.
 * - A node never heard from reads DISCONNECTED.
 */
export type Membership = 'PENDING' | 'APPROVED' | 'REJECTED'
export type Connection = 'CONNECTED' | 'DISCONNECTED'

export interface NodeRecord {
  id: string
  membership: Membership | null // null: heard by heartbeat only, never registered here
  connection: Connection
  lastSeen: number | null
  lastSeq: number
}

export interface RegisterOutcome {
  accepted: boolean
  reason?: string
  membership: Membership
  becameConnected: boolean
}

export class NodeStore {
  readonly #nodes = new Map<string, NodeRecord>()
  readonly #manualApproval: boolean
  readonly #disconnectAfter: number | null

  constructor(opts: { manualApproval?: boolean; disconnectAfter: number | null }) {
    this.#manualApproval = opts.manualApproval ?? false
    this.#disconnectAfter = opts.disconnectAfter
  }

  get(id: string): NodeRecord | undefined {
    return this.#nodes.get(id)
  }

  list(): NodeRecord[] {
    return [...this.#nodes.values()]
  }

  register(id: string, now: number): RegisterOutcome {
    const existing = this.#nodes.get(id)
    if (existing?.membership === 'REJECTED') {
      return { accepted: false, reason: 'node has been rejected', membership: 'REJECTED', becameConnected: false }
    }
    const membership: Membership = existing?.membership ?? (this.#manualApproval ? 'PENDING' : 'APPROVED')
    const becameConnected = existing?.connection !== 'CONNECTED'
    // A node registers when it starts: its heartbeat sequence starts again.
    this.#nodes.set(id, { id, membership, connection: 'CONNECTED', lastSeen: now, lastSeq: -1 })
    return { accepted: true, membership, becameConnected }
  }

  setMembership(id: string, membership: Membership): boolean {
    const n = this.#nodes.get(id)
    if (!n) return false
    n.membership = membership
    return true
  }

  /** Returns whether the node flipped to CONNECTED. */
  heartbeat(id: string, seq: number, now: number): { becameConnected: boolean; duplicate: boolean } {
    let n = this.#nodes.get(id)
    if (!n) {
      n = { id, membership: null, connection: 'DISCONNECTED', lastSeen: null, lastSeq: -1 }
      this.#nodes.set(id, n)
    } else if (seq === n.lastSeq) {
      // v1.5 publishes each heartbeat on two subjects. A lower sequence is a restarted node.
      return { becameConnected: false, duplicate: true }
    }
    n.lastSeq = seq
    n.lastSeen = now
    const becameConnected = n.connection !== 'CONNECTED'
    n.connection = 'CONNECTED'
    return { becameConnected, duplicate: false }
  }

  /** Marks silent nodes DISCONNECTED; returns the ids that changed. */
  check(now: number): string[] {
    if (this.#disconnectAfter === null) return []
    const changed: string[] = []
    for (const n of this.#nodes.values()) {
      if (n.connection === 'CONNECTED' && (n.lastSeen === null || now - n.lastSeen > this.#disconnectAfter)) {
        n.connection = 'DISCONNECTED'
        changed.push(n.id)
      }
    }
    return changed
  }
}
