/**
 * Link faults, as the link process applies them (toxiproxy's model): each has a type, the
 * links it hits (a node group's links to some orchestrators), a direction, a probability (per
 * connection) and its parameters. Healing restores the link without dropping data that was
 * already in flight (delayed or throttled bytes are delivered).
 */
export const LINK_FAULT_TYPES = ['blackhole', 'reset', 'latency', 'bandwidth', 'down'] as const
export type LinkFaultType = (typeof LINK_FAULT_TYPES)[number]

/** to_orchestrator: bytes from the node; to_node: bytes from the server */
export type Direction = 'both' | 'to_orchestrator' | 'to_node'

export interface LinkFaultSpec {
  id: string
  type: LinkFaultType
  group: string
  orchestrators: string[]
  direction: Direction
  /** 0..1: each connection is hit with this probability (seeded) */
  probability: number
  latencyMs?: number
  jitterMs?: number
  bytesPerSec?: number
  seed: number
}

/** What a lane (one direction of one connection) does with bytes. */
export type LaneMode =
  { mode: 'pass' } | { mode: 'blackhole' } | { mode: 'delay'; latencyMs: number; jitterMs: number } | { mode: 'throttle'; bytesPerSec: number }

export const laneModeFor = (faults: LinkFaultSpec[], direction: 'to_orchestrator' | 'to_node'): LaneMode => {
  const hits = faults.filter((f) => f.direction === 'both' || f.direction === direction)
  // The harshest wins: a black hole swallows whatever a delay would have delivered.
  if (hits.some((f) => f.type === 'blackhole')) return { mode: 'blackhole' }
  const delay = hits.find((f) => f.type === 'latency')
  if (delay) return { mode: 'delay', latencyMs: delay.latencyMs ?? 0, jitterMs: delay.jitterMs ?? 0 }
  const bw = hits.find((f) => f.type === 'bandwidth')
  if (bw) return { mode: 'throttle', bytesPerSec: bw.bytesPerSec ?? 1 }
  return { mode: 'pass' }
}
