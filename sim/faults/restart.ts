import type { ProcessFaultType } from './fault-type.ts'

/**
 * A crash and an immediate restart in one step: the orchestrator is killed (SIGKILL) and comes
 * back on the same ports with fresh state at once, as a supervisor (systemd, Kubernetes)
 * restarts a crashed Bacalhau orchestrator. Its nodes fail over like after a kill, and some
 * may come back to it. Nothing is left to heal.
 */
export const restart: ProcessFaultType = {
  name: 'restart',
  summary: 'SIGKILL to an orchestrator, then at once back on the same ports (a supervised crash); nothing to heal',
  acts: 'process',
  disruptive: true,
  params: [],
  requires: () => [],
  apply: (member, cluster) => cluster.restart(member.name),
  heal: () => undefined,
}
