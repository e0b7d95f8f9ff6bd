import type { Rng } from '../../core/rng.ts'
import { nodePlaces } from '../../plan/node-layout.ts'
import type { RunPlan } from '../../plan/run-plan.ts'
import type { Libp2pNodeSpec } from './libp2p-compute-node.ts'

/**
 * libp2p mode's nodes: the same ids, seeds and per-node random draws as NATS mode's
 * (plan/node-layout.ts), and for each the `--peer` multiaddrs of its seed orchestrators. There
 * is no discovery in this mode: the peers given are all a node will ever dial. Whether a node
 * listens is its group's `dialable`.
 */
export const buildLibp2pNodeSpecs = (plan: RunPlan, orchestrators: { name: string; client: string }[], rng: Rng): Libp2pNodeSpec[] => {
  const addr = new Map(orchestrators.map((o) => [o.name, o.client]))
  const peer = (name: string): string => {
    const a = addr.get(name)
    if (a === undefined) throw new Error(`no orchestrator ${name}`)
    return a
  }
  return nodePlaces(
    plan.groups,
    orchestrators.map((o) => o.name),
  ).map(({ id, group: g, seeds }) => ({
    transport: 'libp2p',
    id,
    group: g.name,
    peers: seeds.map(peer),
    dialable: g.dialable,
    subscribe: g.gossipSubscribe,
    timers: plan.libp2pTimers,
    seed: Math.floor(rng.next() * 2 ** 32),
  }))
}
