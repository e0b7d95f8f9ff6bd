import type { RunPlan } from '../config/run-plan.ts'
import type { NodeSpec } from '../compute/node-spec.ts'
import type { Rng } from '../rng.ts'

/**
 * The fleet's nodes: ids `<group>-<index>`, and for each the `--orchestrators` value it is
 * given. `spread` gives node i of the fleet orchestrator i mod M only (it must learn the others
 * from the cluster), `all` gives every orchestrator, a list gives those.
 */
export const buildNodeSpecs = (plan: RunPlan, orchestrators: { name: string; client: string }[], token: string | undefined, rng: Rng): NodeSpec[] => {
  const specs: NodeSpec[] = []
  const url = (name: string) => {
    const o = orchestrators.find((x) => x.name === name)
    if (!o) throw new Error(`no orchestrator ${name}`)
    return `nats://${o.client}`
  }
  let index = 0
  for (const g of plan.groups) {
    const width = String(Math.max(1, g.count - 1)).length
    for (let i = 0; i < g.count; i++, index++) {
      const seeds = g.seeds === 'spread' ? [orchestrators[index % orchestrators.length]?.name as string] : g.seeds === 'all' ? orchestrators.map((o) => o.name) : g.seeds
      specs.push({
        id: `${g.name}-${String(i).padStart(width, '0')}`,
        group: g.name,
        orchestrators: seeds.map(url).join(','),
        ...(token === undefined ? {} : { token }),
        timers: plan.timers,
        heartbeatSubjects: plan.heartbeatSubjects,
        serverOrder: plan.serverOrder,
        seed: Math.floor(rng.next() * 2 ** 32),
      })
    }
  }
  return specs
}
