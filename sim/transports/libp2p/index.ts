import type { Cluster } from '../../core/cluster.ts'
import { findNatsServerOrNull } from '../../platform/nats-server-binary.ts'
import type { TransportPlugin } from '../transport.ts'
import { Libp2pCluster } from './libp2p-cluster.ts'
import type { Libp2pNodeSpec } from './libp2p-compute-node.ts'
import { buildLibp2pNodeSpecs } from './node-specs.ts'

/** Metrics libp2p mode does not have: no registration, and the pool is the configured peers. */
export const LIBP2P_ABSENT_METRICS = ['register_ms', 'full_pool_ms', 'join_pool_ms'] as const

/**
 * The transport Bacalhau used before NATS (v1.3.x): every orchestrator a libp2p host in its own
 * process, nodes dialling the `--peer` multiaddrs they were given and gossiping their info.
 * libp2p itself is loaded only in the processes that run hosts, never in the harness.
 */
export const libp2p: TransportPlugin<Libp2pNodeSpec> = {
  name: 'libp2p',
  capabilities: [],
  absentMetrics: LIBP2P_ABSENT_METRICS,
  startedAs: 'connected',
  describe: (plan) =>
    `  libp2p: no registration, no token; nodes gossip their info (first after ${plan.libp2pTimers.info_eager_interval} ms), re-dial every ${plan.libp2pTimers.redial_interval} ms; nodes publish only unless their group says gossip_subscribe`,
  // No nats-server runs; run.json still records its version when there is one.
  binary: (plan) => plan.natsServerBin ?? findNatsServerOrNull(),
  // Node info gossiped on a schedule is a libp2p node's heartbeat, whatever the profile.
  sendsHeartbeats: () => true,
  start: (plan, env): Promise<Cluster> => {
    const seeds = env.rng.fork('libp2p-orchestrators')
    return Libp2pCluster.start(
      plan.orchestrators.count,
      (name, joined) => ({ name, runId: env.runId, joined, timers: plan.libp2pTimers, seed: Math.floor(seeds.next() * 2 ** 32) }),
      env.record,
    )
  },
  nodeSpecs: (plan, orchestrators, env) => buildLibp2pNodeSpecs(plan, orchestrators, env.rng),
  createNode: async (spec, emit) => {
    const { Libp2pComputeNode } = await import('./libp2p-compute-node.ts')
    return new Libp2pComputeNode(spec, emit)
  },
}
