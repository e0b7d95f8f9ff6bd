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
      const fault = s.faults.at(-1)
      if (!fault) return { total: 0, pending: 0 }
      let pending = 0
      for (const id of fault.affected) {
        const n = s.nodes.get(id)
        if (!n || n.failed) continue // gave up for good: recovered as far as it ever will
        const back = n.server !== null && n.lastReconnect !== null && n.lastReconnect > fault.t
        const resumed =
          !opts.heartbeats ||
          [...n.lastHeartbeatAt].some(([orch, t]) => orch !== fault.target && n.lastReconnect !== null && t > n.lastReconnect)
        if (!back || !resumed) pending++
      }
      return { total: fault.affected.size, pending }
    }
  }
}
