import { hasMembership, type Cluster, type Member } from '../core/cluster.ts'
import { NetsimError } from '../core/errors.ts'
import type { Links } from '../core/links.ts'
import type { Recorder } from '../core/recorder.ts'
import type { Rng } from '../core/rng.ts'
import type { PlanFault } from '../plan/run-plan.ts'
import { faultType } from './index.ts'

/**
 * Applying a planned fault, whatever its type: the target resolved (`busiest`, `random`), the
 * `fault.apply` event recorded *before* the fault acts (so every metric counts from the moment
 * of the fault), then the type's own apply; healing records `fault.heal` and undoes it. The
 * types themselves are the registry's modules (index.ts).
 */
export interface FaultContext {
  cluster: Cluster
  /** the backend's links; null when the run has no link faults */
  links: Links | null
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

/** The orchestrator a target names: itself, or the one `busiest`, `random` or `membership_leader` picks now. */
export const resolveOrch = async (ctx: Pick<FaultContext, 'cluster' | 'recorder' | 'rng'>, target: string): Promise<string> => {
  if (target === 'busiest') {
    const b = ctx.recorder.state.busiest()
    if (b === null) throw new NetsimError('E_FAULT_TARGET', 'no live orchestrator to target (busiest)')
    return b
  }
  if (target === 'random') {
    const live = ctx.cluster.live()
    if (live.length === 0) throw new NetsimError('E_FAULT_TARGET', 'no live orchestrator to target (random)')
    return (live[ctx.rng.int(live.length)] as Member).name
  }
  if (target === 'membership_leader') {
    const placement = hasMembership(ctx.cluster) ? await ctx.cluster.membershipPlacement() : null
    if (placement?.leader == null)
      throw new NetsimError('E_FAULT_TARGET', 'no orchestrator leads the membership bucket now (membership_leader): is its server down already?')
    ctx.recorder.note(
      'membership.placement',
      { orch: placement.leader },
      { bucket: placement.bucket, replicas: placement.replicas, holders: placement.holders },
    )
    return placement.leader
  }
  return target
}

/** `chosen_as` for a fault's event: how a target that is not a name was named. */
const chosenAs = (target: string): { chosen_as?: string } => (/^orch-\d+$/.test(target) || target === 'all' ? {} : { chosen_as: target })

/** Runs `heal` once, however often it is called (a duration's timer and a `heal` step may both). */
const once = (heal: () => Promise<void>): (() => Promise<void>) => {
  let done: Promise<void> | null = null
  return () => (done ??= heal())
}

export const applyFault = async (ctx: FaultContext, fault: PlanFault, id: string): Promise<ActiveFault> => {
  const { recorder } = ctx
  const type = faultType(fault.type)
  if (type.acts === 'link') {
    if (typeof fault.target === 'string') throw new NetsimError('E_CONFIG', `a ${type.name} fault acts on links: its target names a group`)
    const links = ctx.links
    if (links === null) throw new NetsimError('E_UNSUPPORTED', `a ${type.name} fault needs the backend's links, and this run has none`)
    const orchestrators =
      fault.target.orchestrator === 'all' ? ctx.cluster.members.map((o) => o.name) : [await resolveOrch(ctx, fault.target.orchestrator)]
    const group = fault.target.group
    const { direction, probability } = fault
    recorder.note(
      'fault.apply',
      {},
      {
        type: type.name,
        target_kind: 'link',
        id,
        disruptive: type.disruptive,
        group,
        orchestrators,
        direction,
        probability,
        ...chosenAs(fault.target.orchestrator),
      },
    )
    const { hit } = await links.apply({
      id,
      type: type.name,
      effect: type.effect(fault),
      group,
      orchestrators,
      direction,
      probability,
      seed: ctx.seed,
    })
    return {
      id,
      type: type.name,
      description: `${type.name} on ${group} -> ${orchestrators.join(',')} (${hit} connections)`,
      targets: orchestrators,
      heal: once(async () => {
        await links.heal(id)
        recorder.note('fault.heal', {}, { type: type.name, id, target_kind: 'link', group })
      }),
    }
  }
  if (typeof fault.target !== 'string') throw new NetsimError('E_CONFIG', `a ${type.name} fault acts on an orchestrator: its target names one`)
  const name = await resolveOrch(ctx, fault.target)
  const member = ctx.cluster.get(name)
  if (!member) throw new NetsimError('E_FAULT_TARGET', `no orchestrator named ${name}`)
  recorder.note(
    'fault.apply',
    { orch: name },
    { type: type.name, target_kind: 'orchestrator', id, disruptive: type.disruptive, ...chosenAs(fault.target) },
  )
  const affected = recorder.state.faults.at(-1)?.affected.size ?? 0
  await type.apply(member, ctx.cluster)
  return {
    id,
    type: type.name,
    description: `${type.name} ${name} (${fault.target === 'membership_leader' ? 'the membership leader; ' : ''}${affected} nodes connected to it)`,
    targets: [name],
    heal: once(async () => {
      recorder.note('fault.heal', { orch: name }, { type: type.name, id })
      await type.heal(member, ctx.cluster)
    }),
  }
}
