import type { LinkFaultType } from './fault-type.ts'

/** Connections reset (RST), and new ones too while the fault is active. */
export const reset: LinkFaultType = {
  name: 'reset',
  summary: "a group's connections are reset (RST), new ones too while it is active",
  acts: 'link',
  disruptive: true,
  params: [],
  effect: () => ({ lane: { mode: 'pass' }, connections: 'reset', listen: 'accept' }),
}
