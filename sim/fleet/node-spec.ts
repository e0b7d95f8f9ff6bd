import type { NodeSpec } from '../transports/nats/compute/node-spec.ts'
import type { Libp2pNodeSpec } from '../transports/libp2p/libp2p-compute-node.ts'

/** Any node a compute worker can run, told apart by `transport` (each transport's own spec). */
export type FleetNodeSpec = NodeSpec | Libp2pNodeSpec
