import type { ProcessFaultType } from './fault-type.ts'

/** SIGSTOP: sockets stay open and silent, so only the clients' pings notice. Heals with SIGCONT. */
export const freeze: ProcessFaultType = {
  name: 'freeze',
  summary: 'SIGSTOP to an orchestrator (sockets open and silent: only pings notice); heal sends SIGCONT',
  acts: 'process',
  disruptive: true,
  params: [],
  requires: () => [],
  apply: (member) => member.freeze(),
  heal: (member) => member.thaw(),
}
