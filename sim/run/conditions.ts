import type { Condition } from '../scenario/steps.ts'
import type { LiveState } from './live-state.ts'

/**
 * `wait_for` conditions over the live state. Each returns how many nodes are still pending,
 * so a wait can show progress and a timeout can say how far it got.
 */
export interface ConditionStatus {
  pending: number
  total: number
}

const alive = (s: LiveState) => [...s.nodes.values()].filter((n) => !n.failed)

export const evaluate = (condition: Condition, s: LiveState, opts: { heartbeats: boolean }): ConditionStatus => {
  const live = s.liveOrchs()
  switch (condition) {
    case 'registered': {
      const all = [...s.nodes.values()]
      return { total: all.length, pending: all.filter((n) => !n.registered && !n.failed).length }
    }
    case 'pool_complete': {
      const nodes = alive(s)
      return { total: nodes.length, pending: nodes.filter((n) => !live.every(([, o]) => o.client !== null && n.pool.has(o.client))).length }
    }
    case 'discovered': {
      const nodes = alive(s)
      const pending = nodes.filter(
        (n) => !n.registered || !live.every(([name, o]) => o.client !== null && n.pool.has(o.client) && n.visibleBy.has(name)),
      ).length
      return { total: nodes.length, pending }
    }
    case 'recovered': {
      // Every node on an orchestrator hit by the last fault step is back on a live server, and
      // (with heartbeats) a surviving orchestrator has heard from it since; or it gave up.
      const faults = s.lastFaults()
      const targets = new Set(faults.map((f) => f.target))
      const since = Math.min(...faults.map((f) => f.t))
      const affected = new Set(faults.flatMap((f) => [...f.affected]))
      let pending = 0
      for (const id of affected) {
        const n = s.nodes.get(id)
        if (!n || n.failed) continue // gave up for good: recovered as far as it ever will
        const back = n.server !== null && n.lastReconnect !== null && n.lastReconnect > since
        const resumed =
          !opts.heartbeats ||
          [...n.lastHeartbeatAt].some(([orch, t]) => (!targets.has(orch) || faults.every((f) => f.type.startsWith('restart'))) && n.lastReconnect !== null && t > n.lastReconnect)
        if (!back || !resumed) pending++
      }
      return { total: affected.size, pending }
    }
  }
}
