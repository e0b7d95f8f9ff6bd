import type { Timers } from '../../../model/profiles.ts'
import type { ServerOrder } from '../../../plan/run-plan.ts'

/** Everything one simulated NATS compute node needs; sent to its worker over IPC. */
export interface NodeSpec {
  transport: 'nats'
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
