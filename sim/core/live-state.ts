import type { SimEvent } from './events.ts'
import { initialConnection, nextConnection, type NodeConnection } from './node-state.ts'

/**
 * What the harness knows *during* a run, folded from events as they arrive: which server each
 * node is on (node-state.ts, the same reducer the metrics and the HTML timeline use), what its
 * pool holds, which orchestrators see it. `wait_for` conditions and fault targets (`busiest`)
 * read it; metrics do not (they are derived from the full event log after the run).
 */
export interface NodeState {
  group: string
  conn: NodeConnection
  /** NATS: RegisterNode accepted; libp2p: its first dial pass succeeded (it emits its pool then) */
  registered: boolean
  pool: Set<string>
  visibleBy: Set<string>
  lastReconnect: number | null
  lastDisconnect: number | null
  /** heartbeats received by each orchestrator: time of the latest */
  lastHeartbeatAt: Map<string, number>
  /** a restart_nodes step restarted it: its next first connection is a reconnection */
  restarted: boolean
}

export interface OrchState {
  client: string | null
  up: boolean
}

export interface FaultRecord {
  /** the step's fault id: one step may hit several orchestrators (restart: all) */
  id: string
  target: string
  type: string
  t: number
  affected: Set<string>
  /** process faults: the orchestrator itself is down, its heartbeats do not count */
  processFault: boolean
  healedAt: number | null
}

export class LiveState {
  readonly nodes = new Map<string, NodeState>()
  readonly orchs = new Map<string, OrchState>()
  readonly faults: FaultRecord[] = []

  apply(e: SimEvent): void {
    switch (e.kind) {
      case 'fault.apply':
        if (e.data.target_kind === 'link') {
          const affected = this.connectedTo(e.data.group, e.data.orchestrators)
          for (const target of e.data.orchestrators) this.#fault(e.data.id, target, e.data.type, e.t, affected, false)
        } else if (e.orch !== undefined) {
          const client = this.#orch(e.orch).client
          const affected = new Set<string>()
          for (const [id, n] of this.nodes) if (client !== null && n.conn.server === client) affected.add(id)
          this.#fault(e.data.id, e.orch, e.data.type, e.t, affected, true)
        }
        return
      case 'fault.heal':
        for (const f of this.faults) if (f.id === e.data.id && f.healedAt === null && (e.orch === undefined || f.target === e.orch)) f.healedAt = e.t
        return
      case 'orch.ready': {
        const o = this.#orch(e.orch)
        o.up = true
        o.client = e.data.client
        return
      }
      case 'orch.down':
        this.#orch(e.orch).up = false
        // Its view of the nodes is gone with it.
        for (const n of this.nodes.values()) n.visibleBy.delete(e.orch)
        return
      case 'orch.node_state': {
        const n = this.#node(e.node)
        if (e.data.state === 'CONNECTED') n.visibleBy.add(e.orch)
        else n.visibleBy.delete(e.orch)
        return
      }
      case 'orch.heartbeat':
        this.#node(e.node).lastHeartbeatAt.set(e.orch, e.t)
        return
      default:
        if (e.node !== undefined && e.orch === undefined) this.#nodeEvent(e.node, e)
    }
  }

  #fault(id: string, target: string, type: string, t: number, affected: Set<string>, processFault: boolean): void {
    this.faults.push({ id, target, type, t, affected, processFault, healedAt: null })
  }

  #orch(name: string): OrchState {
    let o = this.orchs.get(name)
    if (!o) this.orchs.set(name, (o = { client: null, up: false }))
    return o
  }

  /** Nodes of `group` connected now to one of `orchs`: what a fault on those links hits. */
  connectedTo(group: string, orchs: string[]): Set<string> {
    const clients = new Set(orchs.map((o) => this.orchs.get(o)?.client).filter((c): c is string => c != null))
    const affected = new Set<string>()
    for (const [id, n] of this.nodes) if (n.group === group && n.conn.server !== null && clients.has(n.conn.server)) affected.add(id)
    return affected
  }

  /**
   * A node's record, made on first sight. Events come from several processes in batches: an
   * orchestrator's CONNECTED mark for a node can reach the harness before that node's worker
   * has sent its node.start, and must not be lost.
   */
  #node(id: string): NodeState {
    let n = this.nodes.get(id)
    if (!n) {
      n = {
        group: '',
        conn: initialConnection(),
        registered: false,
        pool: new Set(),
        visibleBy: new Set(),
        lastReconnect: null,
        lastDisconnect: null,
        lastHeartbeatAt: new Map(),
        restarted: false,
      }
      this.nodes.set(id, n)
    }
    return n
  }

  #nodeEvent(id: string, e: SimEvent): void {
    const n = this.#node(id)
    const before = n.conn
    n.conn = nextConnection(before, e)
    switch (e.kind) {
      case 'node.start':
        n.group = e.data.group
        break
      case 'node.reconnected':
        n.lastReconnect = e.t
        break
      case 'node.connected':
        // a restarted node's new connection: back, for `recovered`, as a reconnection would be
        if (n.restarted) n.lastReconnect = e.t
        break
      case 'node.disconnected':
        if (n.conn !== before) n.lastDisconnect = e.t
        break
      case 'node.registered':
        n.registered = true
        break
      case 'node.restart':
        // it registers (or finds its lock) again, and reports a new pool
        n.registered = false
        n.pool = new Set()
        n.restarted = true
        break
      case 'node.pool':
        n.pool = new Set(e.data.servers)
        if (n.conn.transport === 'libp2p') n.registered = true // emitted once, when start-up is done
        break
      default:
        break
    }
  }

  /** The faults of the most recent fault step (several when it hit several orchestrators). */
  lastFaults(): FaultRecord[] {
    const last = this.faults.at(-1)
    return last === undefined ? [] : this.faults.filter((f) => f.id === last.id)
  }

  liveOrchs(): [string, OrchState][] {
    return [...this.orchs].filter(([, o]) => o.up)
  }

  /** The live orchestrator with the most nodes connected to it (ties: lowest name). */
  busiest(): string | null {
    const counts = new Map<string, number>()
    for (const [name, o] of this.liveOrchs()) counts.set(name, [...this.nodes.values()].filter((n) => n.conn.server === o.client).length)
    let best: string | null = null
    for (const [name, c] of counts) {
      const b = best === null ? -1 : (counts.get(best) as number)
      if (best === null || c > b || (c === b && name.localeCompare(best, undefined, { numeric: true }) < 0)) best = name
    }
    return best
  }
}
