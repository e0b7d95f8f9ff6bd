import type { PlanFault } from '../config/run-plan.ts'
import { NetsimError } from '../core/errors.ts'
import type { Rng } from '../core/rng.ts'
import type { RunCluster, RunMember } from '../core/cluster.ts'
import type { LinkLayer } from '../backends/process/links/link-layer.ts'
import type { Recorder } from '../core/recorder.ts'
import { isLinkFault } from '../steps/steps.ts'
import type { FaultType } from '../config/settings-schema.ts'

/**
 * Faults by name (toxiproxy's model): each type says what it acts on and how it is undone.
 * Process faults act on an orchestrator (server and control plane together); link faults on a
 * node group's links to some orchestrators, through the link process.
 */
export interface FaultContext {
  /** NATS or libp2p orchestrators (link faults: NATS only) */
  cluster: RunCluster
  links: LinkLayer | null
  recorder: Recorder
  rng: Rng
  seed: number
}

export interface ActiveFault {
  id: string
  type: string
  /** what it hit, for the console */
  description: string
  /** the orchestrators it acts on (a process fault's target, or a link fault's far ends) */
  targets: string[]
  heal(): Promise<void>
}

/** How each process fault is done and undone. A crashed or stopped orchestrator heals by coming back. */
const PROCESS_FAULTS: Record<
  FaultType,
  { apply(o: RunMember): Promise<void> | void; heal(cluster: RunCluster, o: RunMember): Promise<void> | void }
> = {
  kill: { apply: (o) => o.kill(), heal: (c, o) => c.restart(o.name) },
  stop: { apply: (o) => o.stop(), heal: (c, o) => c.restart(o.name) },
  freeze: { apply: (o) => o.freeze(), heal: (_c, o) => o.thaw() },
  'lame-duck': { apply: (o) => o.lameDuck(), heal: (c, o) => c.restart(o.name) },
}

const resolveOrch = (ctx: FaultContext, target: string): string => {
  if (target === 'busiest') {
    const b = ctx.recorder.state.busiest()
    if (b === null) throw new NetsimError('E_ORCHESTRATOR', 'no live orchestrator to target')
    return b
  }
  if (target === 'random') {
    const live = ctx.cluster.live()
    if (live.length === 0) throw new NetsimError('E_ORCHESTRATOR', 'no live orchestrator to target')
    return (live[ctx.rng.int(live.length)] as RunMember).name
  }
  return target
}

export const applyFault = async (ctx: FaultContext, fault: PlanFault, id: string): Promise<ActiveFault> => {
  const { recorder } = ctx
  if (isLinkFault(fault.type)) {
    if (!ctx.links || typeof fault.target === 'string')
      throw new NetsimError('E_ORCHESTRATOR', `a ${fault.type} fault needs the link layer and a group target`)
    const orchestrators = fault.target.orchestrator === 'all' ? ctx.cluster.members.map((o) => o.name) : [resolveOrch(ctx, fault.target.orchestrator)]
    const group = fault.target.group
    recorder.note('fault.apply', {
      data: { type: fault.type, target_kind: 'link', id, group, orchestrators, direction: fault.direction, probability: fault.probability },
    })
    const links = ctx.links
    const { hit } = await links.apply({
      id,
      type: fault.type,
      group,
      orchestrators,
      direction: fault.direction,
      probability: fault.probability,
      seed: ctx.seed,
      ...(fault.latencyMs === undefined ? {} : { latencyMs: fault.latencyMs }),
      ...(fault.jitterMs === undefined ? {} : { jitterMs: fault.jitterMs }),
      ...(fault.bytesPerSec === undefined ? {} : { bytesPerSec: fault.bytesPerSec }),
    })
    return {
      id,
      type: fault.type,
      description: `${fault.type} on ${group} -> ${orchestrators.join(',')} (${hit} connections)`,
      targets: orchestrators,
      heal: async () => {
        await links.heal(id)
        recorder.note('fault.heal', { data: { type: fault.type, id, target_kind: 'link', group } })
      },
    }
  }
  const kind = PROCESS_FAULTS[fault.type as FaultType]
  const name = resolveOrch(ctx, fault.target as string)
  const o = ctx.cluster.get(name)
  if (!o || o.state !== 'up') throw new NetsimError('E_ORCHESTRATOR', `${fault.type}: ${name} is not up`)
  // Recorded before the signal, so every metric counts from the moment of the fault.
  recorder.note('fault.apply', { orch: name, data: { type: fault.type, target_kind: 'orchestrator', id } })
  const affected = recorder.state.faults.at(-1)?.affected.size ?? 0
  await kind.apply(o)
  let healed = false
  return {
    id,
    type: fault.type,
    description: `${fault.type} ${name} (${affected} nodes connected to it)`,
    targets: [name],
    heal: async () => {
      if (healed) return
      healed = true
      recorder.note('fault.heal', { orch: name, data: { type: fault.type, id } })
      await kind.heal(ctx.cluster, o)
    },
  }
}
