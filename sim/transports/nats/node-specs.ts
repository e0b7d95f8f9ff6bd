import type { Rng } from '../../core/rng.ts'
import { nodePlaces } from '../../plan/node-layout.ts'
import type { RunPlan } from '../../plan/run-plan.ts'
import type { RunSecrets } from '../transport.ts'
import type { NodeSpec } from './compute/node-spec.ts'
import { expandOrchestratorTemplate } from './orchestrator-template.ts'

/**
 * The fleet's NATS nodes (plan/node-layout.ts for ids and seeds), and for each the
 * `--orchestrators` value and token it is given: its seeds as `nats://host:port` entries, or its
 * group's `orchestrators:` template exactly. `addressFor` is where a group dials an
 * orchestrator (its link proxy when the run has proxied links).
 */
export const buildNodeSpecs = (
  plan: RunPlan,
  orchestrators: { name: string; client: string }[],
  secrets: Pick<RunSecrets, 'token' | 'wrongToken'>,
  rng: Rng,
  addressFor: (group: string, orch: string, client: string) => string = (_g, _o, client) => client,
): NodeSpec[] => {
  const addresses = new Map(plan.groups.map((g) => [g.name, new Map(orchestrators.map((o) => [o.name, addressFor(g.name, o.name, o.client)]))]))
  return nodePlaces(
    plan.groups,
    orchestrators.map((o) => o.name),
  ).map(({ id, group: g, seeds }) => {
    const mine = addresses.get(g.name) as Map<string, string>
    const url = (name: string) => {
      const hostport = mine.get(name)
      if (hostport === undefined) throw new Error(`no orchestrator ${name}`)
      return `nats://${hostport}`
    }
    const token = g.token === 'config' ? secrets.token : g.token === 'wrong' ? secrets.wrongToken : undefined
    const list =
      g.orchestrators === undefined
        ? seeds.map(url).join(',')
        : expandOrchestratorTemplate(g.orchestrators, { orchestrators: mine, token: secrets.token, wrongToken: secrets.wrongToken })
    return {
      transport: 'nats',
      id,
      group: g.name,
      orchestrators: list,
      ...(token === undefined ? {} : { token }),
      timers: g.timers,
      heartbeatSubjects: g.heartbeatSubjects,
      serverOrder: plan.serverOrder,
      seed: Math.floor(rng.next() * 2 ** 32),
      ...(g.expect === 'rejected' ? { expectRejected: true } : {}),
    }
  })
}
