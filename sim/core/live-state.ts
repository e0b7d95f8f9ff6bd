import type { SimEvent } from './events.ts'

/**
 * What the harness knows *during* a run, folded from events as they arrive: which server each
 * node is on, what its pool holds, which orchestrators see it. `wait_for` conditions and fault
 * targets (`busiest`) read it; metrics do not (they are derived from the full event log after
 * the run).
 */
export interface NodeState {
  group: string
  /** from node.start: libp2p nodes neither register nor discover orchestrators */
  transport: 'nats' | 'libp2p'
  server: string | null
  /** NATS: RegisterNode accepted; libp2p: its first dial pass succeeded (it emits its pool then) */
  registered: boolean
  /** stopped for good: connect or registration failed, or the client closed */
  failed: boolean
  pool: Set<string>
  visibleBy: Set<string>
  lastReconnect: number | null
  lastDisconnect: number | null
  /** heartbeats received by each orchestrator: time of the latest */
  lastHeartbeatAt: Map<string, number>
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
    if (e.kind === 'fault.apply' && e.data?.target_kind === 'link') this.#linkFault(e)
    else if (e.kind === 'fault.heal') this.#heal(e)
    else if (e.orch !== undefined && e.node === undefined) this.#orchEvent(e)
    else if (e.node !== undefined && e.orch !== undefined) this.#orchAboutNode(e)
    else if (e.node !== undefined) this.#nodeEvent(e)
  }

  #orchEvent(e: SimEvent): void {
    const o = this.orchs.get(e.orch as string) ?? { client: null, up: false }
    this.orchs.set(e.orch as string, o)
    if (e.kind === 'orch.ready') {
      o.up = true
      o.client = e.data?.client as string
    } else if (e.kind === 'orch.down') {
      o.up = false
      // Its view of the nodes is gone with it.
      for (const n of this.nodes.values()) n.visibleBy.delete(e.orch as string)
    } else if (e.kind === 'fault.apply') {
      const client = o.client
      const affected = new Set<string>()
      for (const [id, n] of this.nodes) if (client !== null && n.server === client) affected.add(id)
      this.faults.push({
        id: String(e.data?.id),
        target: e.orch as string,
        type: String(e.data?.type),
        t: e.t,
        affected,
        processFault: true,
        healedAt: null,
      })
    }
  }

  /** Nodes of `group` connected now to one of `orchs`: what a fault on those links hits. */
  connectedTo(group: string, orchs: string[]): Set<string> {
    const clients = new Set(orchs.map((o) => this.orchs.get(o)?.client).filter((c): c is string => c != null))
    const affected = new Set<string>()
    for (const [id, n] of this.nodes) if (n.group === group && n.server !== null && clients.has(n.server)) affected.add(id)
    return affected
  }

  #linkFault(e: SimEvent): void {
    const orchs = (e.data?.orchestrators as string[] | undefined) ?? []
    const affected = this.connectedTo(String(e.data?.group), orchs)
    for (const target of orchs)
      this.faults.push({ id: String(e.data?.id), target, type: String(e.data?.type), t: e.t, affected, processFault: false, healedAt: null })
  }

  #heal(e: SimEvent): void {
    for (const f of this.faults)
      if (f.id === String(e.data?.id) && f.healedAt === null && (e.orch === undefined || f.target === e.orch)) f.healedAt = e.t
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
        transport: 'nats',
        server: null,
        registered: false,
        failed: false,
        pool: new Set(),
        visibleBy: new Set(),
        lastReconnect: null,
        lastDisconnect: null,
        lastHeartbeatAt: new Map(),
      }
      this.nodes.set(id, n)
    }
    return n
  }

  #orchAboutNode(e: SimEvent): void {
    const n = this.#node(e.node as string)
    if (e.kind === 'orch.node_state') {
      if (e.data?.state === 'CONNECTED') n.visibleBy.add(e.orch as string)
      else n.visibleBy.delete(e.orch as string)
    } else if (e.kind === 'orch.heartbeat') {
      n.lastHeartbeatAt.set(e.orch as string, e.t)
    }
  }

  #nodeEvent(e: SimEvent): void {
    const n = this.#node(e.node as string)
    if (e.kind === 'node.start') {
      n.group = String(e.data?.group)
      n.transport = e.data?.transport === 'libp2p' ? 'libp2p' : 'nats'
      return
    }
    switch (e.kind) {
      case 'node.connected':
        n.server = e.data?.server as string
        break
      case 'node.reconnected':
        n.server = e.data?.server as string
        n.lastReconnect = e.t
        break
      case 'node.disconnected':
        // A libp2p node holds one connection per configured orchestrator and reports each:
        // losing one it is not attached to (its `server` is its first) leaves it attached.
        if (n.transport === 'libp2p' && e.data?.server !== n.server) break
        n.server = null
        n.lastDisconnect = e.t
        break
      case 'node.registered':
        n.registered = true
        break
      case 'node.pool':
        n.pool = new Set(e.data?.servers as string[])
        if (n.transport === 'libp2p') n.registered = true // emitted once, when start-up is done
        break
      case 'node.error':
        if (e.data?.phase === 'connect') n.failed = true
        break
      case 'node.register_failed':
      case 'node.closed':
        n.failed = true
        n.server = null
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
    for (const [name, o] of this.liveOrchs()) counts.set(name, [...this.nodes.values()].filter((n) => n.server === o.client).length)
    let best: string | null = null
    for (const [name, c] of counts) {
      const b = best === null ? -1 : (counts.get(best) as number)
      if (best === null || c > b || (c === b && name.localeCompare(best, undefined, { numeric: true }) < 0)) best = name
    }
    return best
  }
}
