import type { LaneEffect, LinkFaultSpec } from '../../../core/links.ts'

const SEVERITY: Record<LaneEffect['mode'], number> = { pass: 0, throttle: 1, delay: 2, blackhole: 3 }

/**
 * What one lane (one direction of one connection) does with bytes under the faults that hit it:
 * those acting in its direction, the harshest winning (a black hole swallows what a delay would
 * have delivered; a delay wins over a throttle).
 */
export const laneEffectFor = (faults: readonly LinkFaultSpec[], direction: 'to_orchestrator' | 'to_node'): LaneEffect => {
  let out: LaneEffect = { mode: 'pass' }
  for (const f of faults) {
    if (f.direction !== 'both' && f.direction !== direction) continue
    if (SEVERITY[f.effect.lane.mode] > SEVERITY[out.mode]) out = f.effect.lane
  }
  return out
}
