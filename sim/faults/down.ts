import type { LinkFaultType } from './fault-type.ts'

/** The address refuses connections and existing ones are reset: as if nothing listened there. */
export const down: LinkFaultType = {
  name: 'down',
  summary: "a group's orchestrator addresses refuse connections; existing ones are reset",
  acts: 'link',
  disruptive: true,
  params: [],
  effect: () => ({ lane: { mode: 'pass' }, connections: 'reset', listen: 'refuse' }),
}
