import type { LinkFaultType } from './fault-type.ts'

/** Data swallowed, no FIN, no RST: a silent loss that only pings notice. Heals on the same connections. */
export const blackhole: LinkFaultType = {
  name: 'blackhole',
  summary: "a group's links swallow data (no FIN, no RST); heal lets traffic flow again on the same connections",
  acts: 'link',
  disruptive: true,
  params: [],
  effect: () => ({ lane: { mode: 'blackhole' }, connections: 'keep', listen: 'accept' }),
}
