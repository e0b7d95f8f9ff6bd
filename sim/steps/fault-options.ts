import { z } from 'zod'
import type { DurationSpec } from '../core/duration.ts'
import { DIRECTIONS, type Direction } from '../core/links.ts'
import { FAULT_NAMES, faultType, isFaultName } from '../faults/index.ts'
import { durationSchema, orchTargetSchema } from '../plan/duration-schema.ts'
import type { PlanFault } from '../plan/run-plan.ts'
import type { Path, ResolveContext } from './step-kind.ts'

/**
 * A fault's options as a scenario writes them, shared by `fault` steps and chaos entries
 * (toxiproxy's model: a type, its target, a direction, a probability and its own parameters).
 */
export interface FaultOptions {
  /** a fault type of the registry, or `default`: the run's --fault */
  type: string
  target: string | { group: string; orchestrator: string }
  direction: Direction
  probability: number
  duration?: DurationSpec
  latency?: DurationSpec
  jitter?: DurationSpec
  rate?: number | string
}

const linkTarget = z.strictObject({
  group: z.string().min(1),
  orchestrator: z.union([z.literal('all'), orchTargetSchema]).default('all'),
})

const RATE = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB)\/s$/
const RATE_UNIT: Record<string, number> = { B: 1, kB: 1000, KB: 1024, MB: 1_000_000 }

export const parseRate = (rate: number | string): number => {
  if (typeof rate === 'number') return rate
  const m = RATE.exec(rate) as RegExpExecArray
  return Number(m[1]) * (RATE_UNIT[m[2] as string] as number)
}

/** The fields of a fault beside its keyword (`fault:` in a step, `fault:` in a chaos entry). */
export const faultFields = {
  target: z.union([orchTargetSchema, linkTarget]),
  direction: z.enum(DIRECTIONS as [Direction, ...Direction[]]).default('both'),
  probability: z.number().min(0, 'expected a probability from 0 to 1').max(1, 'expected a probability from 0 to 1').default(1),
  /** heal by itself after this long */
  duration: durationSchema.optional(),
  latency: durationSchema.optional(),
  jitter: durationSchema.optional(),
  /** bandwidth: bytes per second, or `64kB/s`, `1MB/s` */
  rate: z.union([z.number().positive(), z.string().regex(RATE, 'expected a rate such as 64kB/s')]).optional(),
}

export const faultTypeSchema = z.string().superRefine((v, ctx) => {
  if (v !== 'default' && !isFaultName(v))
    ctx.addIssue({ code: 'custom', message: `unknown fault type "${v}"; known: ${FAULT_NAMES.join(', ')} (or default: the run's --fault)` })
})

/** A link fault names a group's links, a process fault an orchestrator (`default` is checked once resolved). */
export const checkTargetKind = (type: string, target: unknown, ctx: z.RefinementCtx, path: (string | number)[]): void => {
  if (!isFaultName(type)) return
  const link = faultType(type).acts === 'link'
  if (link && typeof target === 'string')
    ctx.addIssue({ code: 'custom', path, message: `a ${type} fault acts on links: target must be { group: <name>, orchestrator: <orch-N|all> }` })
  if (!link && typeof target !== 'string')
    ctx.addIssue({ code: 'custom', path, message: `a ${type} fault acts on an orchestrator: target must be orch-N, busiest or random` })
}

/** Parsed fields (the `fault` keyword's value as `type`) into FaultOptions. */
export const toFaultOptions = (d: { fault: string } & Record<string, unknown>): FaultOptions => {
  const o: FaultOptions = {
    type: d.fault,
    target: d['target'] as FaultOptions['target'],
    direction: d['direction'] as Direction,
    probability: d['probability'] as number,
  }
  for (const k of ['duration', 'latency', 'jitter', 'rate'] as const) if (d[k] !== undefined) (o as unknown as Record<string, unknown>)[k] = d[k]
  return o
}

export const describeTarget = (t: FaultOptions['target']): string => (typeof t === 'string' ? t : `links of ${t.group} to ${t.orchestrator}`)

/**
 * A fault's options with every choice the file can make resolved: `default` becomes the run's
 * fault type, durations become ms (timer expressions allowed), the rate bytes per second.
 * Problems (an unknown group, an orchestrator that will not exist, a parameter the type needs)
 * are reported at their path. `randomGroup`: a chaos entry may target a random group.
 */
export const resolveFault = (o: FaultOptions, ctx: ResolveContext, path: Path, randomGroup = false): PlanFault => {
  const f: PlanFault = {
    type: o.type === 'default' ? ctx.defaultFault : o.type,
    target: o.target,
    direction: o.direction,
    probability: o.probability,
  }
  if (typeof o.target === 'string') ctx.orchestrator([...path, 'target'], o.target)
  else {
    if (!ctx.groups.has(o.target.group) && !(randomGroup && o.target.group === 'random'))
      ctx.issue([...path, 'target', 'group'], `no group named "${o.target.group}" (groups: ${[...ctx.groups].join(', ')})`)
    ctx.orchestrator([...path, 'target', 'orchestrator'], o.target.orchestrator)
  }
  if (o.duration !== undefined) f.durationMs = ctx.ms([...path, 'duration'], o.duration)
  if (o.latency !== undefined) f.latencyMs = ctx.ms([...path, 'latency'], o.latency)
  if (o.jitter !== undefined) f.jitterMs = ctx.ms([...path, 'jitter'], o.jitter)
  if (o.rate !== undefined) f.bytesPerSec = parseRate(o.rate)
  if (isFaultName(f.type)) {
    const type = faultType(f.type)
    // `default` only now has a type: its target must suit it.
    if (o.type === 'default' && (type.acts === 'link') !== (typeof o.target !== 'string'))
      ctx.issue(
        [...path, 'target'],
        type.acts === 'link'
          ? `the run's fault ${f.type} acts on links: target must be { group: <name>, orchestrator: <orch-N|all> }`
          : `the run's fault ${f.type} acts on an orchestrator: target must be orch-N, busiest or random`,
      )
    const problem = type.check?.(f)
    if (problem) ctx.issue(path, problem)
  }
  return f
}

/** What a resolved fault needs: its type's transport capabilities, or the link abilities of its effect. */
export { faultRequirements } from '../faults/fault-requirements.ts'
