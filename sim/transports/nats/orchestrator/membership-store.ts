/**
 * Where the node manager keeps node membership (docs/design.md, "Orchestrator"): in Bacalhau a
 * JetStream key-value bucket the orchestrators share (kv-membership.ts); here the contract, and
 * an in-memory store for tests. One record per node, keyed by its id, as Bacalhau stores a
 * NodeState: the node's info, its approval, and the connection state written at registration
 * (which the heartbeat server's view replaces on every read).
 */
export type Membership = 'PENDING' | 'APPROVED' | 'REJECTED'

export interface NodeInfo {
  NodeID: string
  NodeType: string
  Labels?: Record<string, string>
}

export interface NodeStateRecord {
  Info: NodeInfo
  Membership: Membership
  Connection: 'CONNECTED' | 'DISCONNECTED'
}

/** The store could not answer (its bucket is offline, a request timed out): `code` as events carry it. */
export class MembershipError extends Error {
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MembershipError'
    this.code = code
  }
}

export interface MembershipStore {
  /** the node's record, null when the store has none; throws MembershipError when it cannot answer */
  get(id: string): Promise<NodeStateRecord | null>
  /** writes the node's record; throws MembershipError when it cannot */
  put(record: NodeStateRecord): Promise<void>
  /** the membership of every node this orchestrator has seen in the store */
  known(): ReadonlyMap<string, Membership>
  /** called once for each node the first time it is seen in the store (at once for those seen already) */
  onFirstSeen(listener: (id: string) => void): void
  close(): Promise<void>
}

/**
 * What both stores keep of what they read and wrote: every node seen, its last membership, and
 * the first-seen listeners (`saw` on every record read or written).
 */
export abstract class SeenNodes {
  readonly #known = new Map<string, Membership>()
  readonly #listeners: ((id: string) => void)[] = []

  protected saw(id: string, membership: Membership): void {
    const first = !this.#known.has(id)
    this.#known.set(id, membership)
    if (first) for (const l of this.#listeners) l(id)
  }

  known(): ReadonlyMap<string, Membership> {
    return this.#known
  }

  onFirstSeen(listener: (id: string) => void): void {
    this.#listeners.push(listener)
    for (const id of this.#known.keys()) listener(id)
  }

  async close(): Promise<void> {}
}

/** An in-memory store: the same contract without a server (unit tests). `fail` makes every call throw. */
export class MemoryMembership extends SeenNodes implements MembershipStore {
  readonly #records = new Map<string, NodeStateRecord>()
  fail: MembershipError | null = null

  async get(id: string): Promise<NodeStateRecord | null> {
    if (this.fail) throw this.fail
    return this.#records.get(id) ?? null
  }

  async put(record: NodeStateRecord): Promise<void> {
    if (this.fail) throw this.fail
    this.#records.set(record.Info.NodeID, record)
    this.saw(record.Info.NodeID, record.Membership)
  }
}
