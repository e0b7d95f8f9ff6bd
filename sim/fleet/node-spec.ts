import type { Timers } from '../model/profiles.ts'
import type { ServerOrder } from '../transports/nats/compute/server-order.ts'
import type { Libp2pNodeSpec } from '../transports/libp2p/libp2p-compute-node.ts'

/** Everything one simulated compute node needs; sent to its worker over IPC. */
export interface NodeSpec {
  /** absent: NATS (sim/compute/compute-node.ts) */
  transport?: 'nats'
  id: string
  group: string
  /** Bacalhau's `--orchestrators` value for this node (may hold `token@host` entries) */
  orchestrators: string
  /** the configured token (node.network.authsecret); a token in the URL wins */
  token?: string
  timers: Timers
  heartbeatSubjects: string[]
  serverOrder: ServerOrder
  seed: number
  /** the group is meant to be refused; recorded on node.start so metrics can tell */
  expectRejected?: boolean
}

/** A libp2p-mode node (sim/libp2p/libp2p-compute-node.ts), as a worker receives it. */
export interface Libp2pFleetNodeSpec extends Libp2pNodeSpec {
  transport: 'libp2p'
}

/** Any node a compute worker can run, told apart by `transport`. */
export type FleetNodeSpec = NodeSpec | Libp2pFleetNodeSpec
