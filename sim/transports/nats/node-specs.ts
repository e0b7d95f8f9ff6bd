import type { RunPlan } from '../../config/run-plan.ts'
import type { Libp2pFleetNodeSpec, NodeSpec } from '../../fleet/node-spec.ts'
import type { Rng } from '../../core/rng.ts'
import { expandOrchestratorTemplate } from './orchestrator-template.ts'

export interface NodeSecrets {
  /** what `token: config` groups present (node.network.authsecret) */
  token: string
  /** what `token: wrong` groups present */
  wrongToken: string
}

/**
 * The fleet's nodes: ids `<group>-<index>`, and for each the `--orchestrators` value and token
 * it is given. `spread` gives node i of the fleet orchestrator i mod M only (it must learn the
 * others from the cluster), `all` gives every orchestrator, a list gives those, and a group's
 * `orchestrators:` template gives exactly that string.
 */
export const buildNodeSpecs = (
  plan: RunPlan,
  orchestrators: { name: string; client: string }[],
  secrets: NodeSecrets,
  rng: Rng,
  /** where a group reaches an orchestrator: its link proxy when the run has a link layer */
  addressFor: (group: string, orch: string, client: string) => string = (_g, _o, client) => client,
): NodeSpec[] => {
  const specs: NodeSpec[] = []
  const configured = secrets.token
  let index = 0
  for (const g of plan.groups) {
    const width = String(Math.max(1, g.count - 1)).length
    const token = g.token === 'config' ? configured : g.token === 'wrong' ? secrets.wrongToken : undefined
    const addresses = new Map(orchestrators.map((o) => [o.name, addressFor(g.name, o.name, o.client)]))
    const url = (name: string) => {
      const hostport = addresses.get(name)
      if (hostport === undefined) throw new Error(`no orchestrator ${name}`)
      return `nats://${hostport}`
    }
    for (let i = 0; i < g.count; i++, index++) {
      const seeds =
        g.seeds === 'spread'
          ? [orchestrators[index % orchestrators.length]?.name as string]
          : g.seeds === 'all'
            ? orchestrators.map((o) => o.name)
            : g.seeds
      const list =
        g.orchestrators === undefined
          ? seeds.map(url).join(',')
          : expandOrchestratorTemplate(g.orchestrators, { orchestrators: addresses, token: configured, wrongToken: secrets.wrongToken })
      specs.push({
        id: `${g.name}-${String(i).padStart(width, '0')}`,
        group: g.name,
        orchestrators: list,
        ...(token === undefined ? {} : { token }),
        timers: g.timers,
        heartbeatSubjects: g.heartbeatSubjects,
        serverOrder: plan.serverOrder,
        seed: Math.floor(rng.next() * 2 ** 32),
        ...(g.expect === 'rejected' ? { expectRejected: true } : {}),
      })
    }
  }
  return specs
}

/**
 * libp2p mode's nodes: the same ids, seeds and per-node random draws as buildNodeSpecs, and for
 * each the `--peer` multiaddrs of its seed orchestrators (`spread`: orchestrator i mod M only;
 * `all`; or a list). There is no discovery in this mode: the peers given are all a node will
 * ever dial. Whether a node listens is its group's `dialable`.
 */
export const buildLibp2pNodeSpecs = (plan: RunPlan, orchestrators: { name: string; client: string }[], rng: Rng): Libp2pFleetNodeSpec[] => {
  const specs: Libp2pFleetNodeSpec[] = []
  const addr = new Map(orchestrators.map((o) => [o.name, o.client]))
  const peer = (name: string): string => {
    const a = addr.get(name)
    if (a === undefined) throw new Error(`no orchestrator ${name}`)
    return a
  }
  let index = 0
  for (const g of plan.groups) {
    const width = String(Math.max(1, g.count - 1)).length
    for (let i = 0; i < g.count; i++, index++) {
      const seeds =
        g.seeds === 'spread'
          ? [orchestrators[index % orchestrators.length]?.name as string]
          : g.seeds === 'all'
            ? orchestrators.map((o) => o.name)
            : g.seeds
      specs.push({
        transport: 'libp2p',
        id: `${g.name}-${String(i).padStart(width, '0')}`,
        group: g.name,
        peers: seeds.map(peer),
        dialable: g.dialable,
        subscribe: g.gossipSubscribe,
        timers: plan.libp2pTimers,
        seed: Math.floor(rng.next() * 2 ** 32),
      })
    }
  }
  return specs
}
