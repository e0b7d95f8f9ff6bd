import type { ProcessFaultType } from './fault-type.ts'

/** SIGKILL to an orchestrator's server and control plane: a crash. Heals by restarting it on the same ports. */
export const kill: ProcessFaultType = {
  name: 'kill',
  summary: 'SIGKILL to an orchestrator (a crash); heal restarts it on the same ports',
  acts: 'process',
  disruptive: true,
  params: [],
  requires: () => [],
  apply: (member) => member.kill(),
  heal: (member, cluster) => cluster.restart(member.name),
}
