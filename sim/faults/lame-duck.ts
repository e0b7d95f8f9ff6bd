import { canLameDuck } from '../core/cluster.ts'
import { NetsimError } from '../core/errors.ts'
import type { ProcessFaultType } from './fault-type.ts'

/**
 * SIGUSR2: nats-server stops accepting clients and sheds the ones it has over its lame-duck
 * duration. A NATS feature: plans on other transports are refused before they start.
 */
export const lameDuck: ProcessFaultType = {
  name: 'lame-duck',
  summary: 'SIGUSR2 to an orchestrator (stops accepting, sheds clients over the lame-duck duration); heal restarts it',
  acts: 'process',
  disruptive: true,
  params: [],
  requires: () => [{ of: 'transport', capability: 'lame-duck', why: 'lame duck is a nats-server feature' }],
  apply: (member) => {
    if (!canLameDuck(member)) throw new NetsimError('E_UNSUPPORTED', `${member.name} cannot enter lame-duck mode`)
    return member.lameDuck()
  },
  heal: (member, cluster) => cluster.restart(member.name),
}
