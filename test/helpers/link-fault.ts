import type { LinkFaultSpec } from '../../sim/core/links.ts'
import { linkFault } from '../../sim/faults/index.ts'

/**
 * A link fault as a backend's links receive it, its effect from the fault registry (as
 * sim/faults/apply-fault.ts makes it), so tests of proxies and kernel cuts say only the type and
 * what differs: `linkFaultSpec('latency', { latencyMs: 50, direction: 'to_node' })`.
 */
export const linkFaultSpec = (
  type: string,
  extra: Partial<Omit<LinkFaultSpec, 'effect'>> & { latencyMs?: number; jitterMs?: number; bytesPerSec?: number } = {},
): LinkFaultSpec => {
  const { latencyMs, jitterMs, bytesPerSec, ...rest } = extra
  const direction = rest.direction ?? 'both'
  const probability = rest.probability ?? 1
  const params = {
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(jitterMs === undefined ? {} : { jitterMs }),
    ...(bytesPerSec === undefined ? {} : { bytesPerSec }),
  }
  const effect = linkFault(type).effect({ type, target: { group: 'g', orchestrator: 'all' }, direction, probability, ...params })
  return { id: type, type, effect, group: 'g', orchestrators: ['orch-0'], direction, probability, seed: 1, ...rest }
}
