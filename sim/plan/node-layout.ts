import type { PlanGroup } from '../plan/run-plan.ts'

/** One node of the fleet: its id, its group, the orchestrators it is given as seeds. */
export interface NodePlace {
  id: string
  group: PlanGroup
  /** orchestrator names */
  seeds: string[]
}

/**
 * The fleet, whatever the transport: ids `<group>-<index>` (zero-padded within the group), and
 * each node's seed orchestrators: `spread` gives node i of the fleet orchestrator i mod M only
 * (it must learn the others from the cluster), `all` every orchestrator, a list those.
 */
export const nodePlaces = (groups: readonly PlanGroup[], orchestrators: readonly string[]): NodePlace[] => {
  const out: NodePlace[] = []
  let index = 0
  for (const g of groups) {
    const width = String(Math.max(1, g.count - 1)).length
    for (let i = 0; i < g.count; i++, index++) {
      const seeds = g.seeds === 'spread' ? [orchestrators[index % orchestrators.length] as string] : g.seeds === 'all' ? [...orchestrators] : g.seeds
      out.push({ id: `${g.name}-${String(i).padStart(width, '0')}`, group: g, seeds })
    }
  }
  return out
}
