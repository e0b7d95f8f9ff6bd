export const CONDITIONS = ['registered', 'discovered', 'pool_complete', 'recovered'] as const
export type Condition = (typeof CONDITIONS)[number]

import type { LiveState } from '../core/live-state.ts'

/**
 * `wait_for` conditions over the live state. Each returns how many nodes are still pending,
 * so a wait can show progress and a timeout can say how far it got.
 */
export interface ConditionStatus {
  pending: number
  total: number
  /** of `total`, nodes that gave up for good (not pending, and not there either) */
  gaveUp: number
  /** a few pending nodes and why, for a timeout's message */
  examples?: string[]
  /** `discovered`: nodes counted without being CONNECTED anywhere, as they never can be, by group */
  neverConnected?: Map<string, number>
}

export interface ConditionOptions {
  /** whether that group's nodes send heartbeats (v1.3.0 nodes do not) */
  heartbeats: (group: string) => boolean
  /**
   * whether that group's nodes can never read CONNECTED: they send no heartbeats, and the
   * orchestrators read connection state from heartbeats alone (a v1.3.0 node under a v1.4+
   * orchestrator). `discovered` then waits for them to be registered with a full pool.
   */
  neverConnected?: (group: string) => boolean
}

const alive = (s: LiveState) => [...s.nodes.values()].filter((n) => !n.conn.failed)

export const evaluate = (condition: Condition, s: LiveState, opts: ConditionOptions): ConditionStatus => {
  const live = s.liveOrchs()
  switch (condition) {
    case 'registered': {
      const all = [...s.nodes.values()]
      return {
        total: all.length,
        pending: all.filter((n) => !n.registered && !n.conn.failed).length,
        gaveUp: all.filter((n) => n.conn.failed).length,
      }
    }
    case 'pool_complete': {
      // A libp2p node's pool is the peers it was given; nothing grows it.
      const nodes = alive(s)
      return {
        total: nodes.length,
        pending: nodes.filter((n) => n.conn.transport === 'nats' && !live.every(([, o]) => o.client !== null && n.pool.has(o.client))).length,
        gaveUp: 0, // counted among the nodes only while they try
      }
    }
    case 'discovered': {
      const examples: string[] = []
      const neverConnected = new Map<string, number>()
      let pending = 0
      for (const [id, n] of s.nodes) {
        if (n.conn.failed) continue
        const unheard = opts.neverConnected?.(n.group) === true
        if (unheard) neverConnected.set(n.group, (neverConnected.get(n.group) ?? 0) + 1)
        // libp2p: started, and known (CONNECTED) at every live orchestrator through gossip.
        const why = !n.registered
          ? n.conn.transport === 'libp2p'
            ? 'not started'
            : 'not registered'
          : live
              .filter(([, o]) => n.conn.transport === 'nats' && (o.client === null || !n.pool.has(o.client)))
              .map(([name]) => `${name} not in its pool`)
              .concat(unheard ? [] : live.filter(([name]) => !n.visibleBy.has(name)).map(([name]) => `not CONNECTED at ${name}`))
        if (why.length === 0) continue
        pending++
        if (examples.length < 5) examples.push(`${id}: ${Array.isArray(why) ? why.join(', ') : why}`)
      }
      return { total: alive(s).length, pending, examples, gaveUp: 0, ...(neverConnected.size > 0 ? { neverConnected } : {}) }
    }
    case 'recovered': {
      // Every node hit by the last fault step is connected, has reconnected if it lost its
      // connection, and an orchestrator that counts (not one that is itself down) has heard its
      // heartbeat since the fault, its heal and its reconnect; or it gave up for good.
      const faults = s.lastFaults()
      const down = new Set(faults.filter((f) => f.processFault && !f.type.startsWith('restart') && f.healedAt === null).map((f) => f.target))
      // An orchestrator still down (or frozen): its nodes must have moved. Once healed, a node
      // that never noticed the fault is back when its heartbeats are heard again.
      const mustMove = down.size > 0
      const since = Math.min(...faults.map((f) => f.t))
      const healed = Math.max(since, ...faults.map((f) => f.healedAt ?? since))
      const affected = new Set(faults.flatMap((f) => [...f.affected]))
      let pending = 0
      let gaveUp = 0
      for (const id of affected) {
        const n = s.nodes.get(id)
        if (!n) continue
        if (n.conn.failed) {
          gaveUp++ // gave up for good: as far as it will ever get, but not recovered
          continue
        }
        const lostIt = n.lastDisconnect !== null && n.lastDisconnect > since
        const reconnected = n.lastReconnect !== null && n.lastReconnect > since && (!lostIt || n.lastReconnect > (n.lastDisconnect as number))
        const back = n.conn.server !== null && (mustMove ? reconnected : !lostIt || reconnected)
        const after = Math.max(healed, n.lastReconnect ?? since)
        const resumed = !opts.heartbeats(n.group) || [...n.lastHeartbeatAt].some(([orch, t]) => !down.has(orch) && t > after)
        if (!back || !resumed) pending++
      }
      return { total: affected.size, pending, gaveUp }
    }
  }
}
