/**
 * Links between a node group and the orchestrators, and what a link fault does to them
 * (toxiproxy's model). A backend provides the links (docs/backends.md): the process backend
 * with per-group TCP proxies, netns and docker with kernel cuts between namespaces. A fault
 * type (sim/faults) says what it does as a LinkEffect; each backend applies the effects it can
 * and declares which those are, so a plan asking for another is refused before it starts.
 */

/** to_orchestrator: bytes from the node; to_node: bytes from the server */
export type Direction = 'both' | 'to_orchestrator' | 'to_node'
export const DIRECTIONS: readonly Direction[] = ['both', 'to_orchestrator', 'to_node']

/** What happens to the bytes of one direction of a hit connection. */
export type LaneEffect =
  | { mode: 'pass' }
  /** swallowed: no FIN, no RST; healing lets traffic flow again on the same connection */
  | { mode: 'blackhole' }
  /** delivered `latencyMs` ± `jitterMs` later, order kept */
  | { mode: 'delay'; latencyMs: number; jitterMs: number }
  | { mode: 'throttle'; bytesPerSec: number }

export interface LinkEffect {
  lane: LaneEffect
  /** hit connections: kept (their lanes get `lane`), or reset at once, both ends seeing an RST */
  connections: 'keep' | 'reset'
  /** new connections while the fault is active: accepted (and hit like the others), or refused */
  listen: 'accept' | 'refuse'
}

/** One active link fault, as a backend's links receive it. */
export interface LinkFaultSpec {
  id: string
  /** the fault type's name, for messages; what it does is `effect` */
  type: string
  effect: LinkEffect
  group: string
  orchestrators: string[]
  direction: Direction
  /** 0..1: each connection is hit with this probability (seeded) */
  probability: number
  seed: number
}

/** The link abilities a backend may offer (sim/faults derive what a fault needs from its effect). */
export const LINK_CAPABILITIES = {
  'link:blackhole': "swallow a link's traffic silently",
  'link:reset': "reset a link's connections",
  'link:refuse': 'refuse new connections on a link',
  'link:delay': "delay a link's traffic (latency, jitter)",
  'link:throttle': "limit a link's bandwidth",
  'link:one-way': 'act on one direction of a link only',
  'link:partial': 'hit only some connections of a link (probability below 1)',
} as const
export type LinkCapability = keyof typeof LINK_CAPABILITIES

/** The capabilities a fault with this effect, direction and probability needs. */
export const linkNeeds = (effect: LinkEffect, direction: Direction, probability: number): LinkCapability[] => {
  const needs = new Set<LinkCapability>()
  if (effect.lane.mode === 'blackhole') needs.add('link:blackhole')
  if (effect.lane.mode === 'delay') needs.add('link:delay')
  if (effect.lane.mode === 'throttle') needs.add('link:throttle')
  if (effect.connections === 'reset') needs.add('link:reset')
  if (effect.listen === 'refuse') needs.add('link:refuse')
  if (direction !== 'both') needs.add('link:one-way')
  if (probability < 1) needs.add('link:partial')
  return [...needs]
}

/**
 * The run's links, from its backend. Nodes dial `addressFor(group, orch)` when it has one
 * (a proxy), else the orchestrator's own address.
 */
export interface Links {
  /** true: nodes reach servers through per-group proxies (their addresses differ) */
  readonly proxied: boolean
  /** proxy address -> the server behind it, so events name servers as orchestrators know them */
  readonly aliases: ReadonlyMap<string, string>
  /** an orchestrator's server accepts clients at `client`: set up what leads there (idempotent) */
  attach(orch: string, client: string): Promise<void>
  /** where nodes of `group` dial `orch`; undefined: its own address */
  addressFor(group: string, orch: string): string | undefined
  /** hit: how many connections the fault hit when applied */
  apply(fault: LinkFaultSpec): Promise<{ hit: number }>
  heal(id: string): Promise<void>
  dispose(): Promise<void>
}
