import { MembershipError, type Membership, type MembershipStore, type NodeInfo } from './membership-store.ts'

/**
 * The node manager's answers to a compute node's management calls (docs/design.md,
 * "Orchestrator"), over a membership store, in Bacalhau's order of reads and writes:
 *
 * - RegisterNode: a node the store has is accepted again ("node already registered"), unless
 *   REJECTED; otherwise (not found, or the read failed) the node is written PENDING or APPROVED
 *   and CONNECTED. A write that fails is an error the node receives: its registration failed.
 * - UpdateNodeInfo: a node the store lacks is refused ("node not yet registered"); otherwise its
 *   info is written again, keeping its approval.
 * - UpdateResources: a node the store lacks is an error; resources themselves stay in memory.
 *
 * Errors are MembershipErrors (with the store's code); the control plane replies with them.
 */
export interface ManagementReply {
  accepted: boolean
  reason?: string
  membership?: Membership
}

export class NodeManager {
  readonly #store: MembershipStore
  readonly #default: Membership

  constructor(store: MembershipStore, opts: { manualApproval: boolean }) {
    this.#store = store
    this.#default = opts.manualApproval ? 'PENDING' : 'APPROVED'
  }

  async register(info: NodeInfo): Promise<ManagementReply> {
    let existing = null
    try {
      existing = await this.#store.get(info.NodeID)
    } catch (err) {
      // Bacalhau takes any failed read for "not seen yet" and goes on to write the node.
      if (!(err instanceof MembershipError)) throw err
    }
    if (existing !== null) {
      if (existing.Membership === 'REJECTED') return { accepted: false, reason: 'node has been rejected', membership: 'REJECTED' }
      return { accepted: true, reason: 'node already registered', membership: existing.Membership }
    }
    // By virtue of calling this endpoint, the node is considered connected (Bacalhau's comment).
    await this.#store.put({ Info: info, Membership: this.#default, Connection: 'CONNECTED' })
    return { accepted: true, membership: this.#default }
  }

  async updateInfo(info: NodeInfo): Promise<ManagementReply> {
    const existing = await this.#store.get(info.NodeID)
    if (existing === null) return { accepted: false, reason: 'node not yet registered' }
    if (existing.Membership === 'REJECTED') return { accepted: false, reason: 'node registration rejected' }
    await this.#store.put({ Info: info, Membership: existing.Membership, Connection: 'CONNECTED' })
    return { accepted: true, membership: existing.Membership }
  }

  async updateResources(id: string): Promise<ManagementReply> {
    const existing = await this.#store.get(id)
    if (existing === null) throw new MembershipError('NOT_REGISTERED', `unable to update resources for missing node: ${id}`)
    return { accepted: true, membership: existing.Membership }
  }
}
