import type { ProcessFaultType } from './fault-type.ts'

/** SIGTERM: a clean shutdown, so clients see their connections close. Heals by restarting it. */
export const stop: ProcessFaultType = {
  name: 'stop',
  summary: 'SIGTERM to an orchestrator (a clean shutdown: clients see the close); heal restarts it',
  acts: 'process',
  disruptive: true,
  params: [],
  requires: () => [],
  apply: (member) => member.stop(),
  heal: (member, cluster) => cluster.restart(member.name),
}
