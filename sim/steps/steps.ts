import { z } from 'zod'
import { durationSchema, FAULT_TYPES, type FaultType } from '../config/settings-schema.ts'
import { LINK_FAULT_TYPES, type LinkFaultType, type Direction } from '../backends/process/links/link-fault.ts'
import type { DurationSpec } from '../core/duration.ts'

/**
 * Timeline steps (DESIGN.md §3). In YAML each step is a map whose one step keyword names it,
 * with options beside it:
 *
 *   - wait_for: discovered
 *     timeout: 30s
 *   - fault: default          # the run's fault type (--fault), or kill|stop|freeze|lame-duck
 *     target: busiest         # an orchestrator name, `busiest` or `random`
 */
export const CONDITIONS = ['registered', 'discovered', 'pool_complete', 'recovered'] as const
export type Condition = (typeof CONDITIONS)[number]

export type Step =
  | { kind: 'wait'; duration: DurationSpec }
  | { kind: 'wait_for'; condition: Condition; timeout: DurationSpec; onTimeout?: 'note' }
  | { kind: 'fault'; fault: FaultOptions }
  | { kind: 'chaos'; chaos: ChaosOptions }
  | { kind: 'heal'; target: string }
  | { kind: 'restart'; target: string; rotateToken: boolean }
  | { kind: 'rogue_orchestrator'; window: DurationSpec }
  | { kind: 'ask_for_bid'; timeout: DurationSpec; from: string; metric: string }
  | { kind: 'scale'; orchestrators: number }
  | { kind: 'mark'; name: string }
  | { kind: 'jobs'; jobs: JobsOptions }

/** A background job workload (sim/jobs/workload.ts): the timeline goes on while it runs. */
export interface JobsOptions {
  /** jobs per second, over the orchestrators it submits to */
  rate: number
  /** how long a job runs on its node */
  duration: DurationSpec
  /** how long to keep submitting; absent: until the timeline ends */
  for?: DurationSpec
  /** all, or one group's nodes */
  nodes: string
  /** all live orchestrators in turn, or one */
  via: string
  /** the orchestrator's budget per call and for the bid to come back */
  timeout: DurationSpec
  /** a job with no outcome this long after it was submitted is lost; absent: duration + 3 × timeout */
  budget?: DurationSpec
  /** share of runs that end in OnComputeFailure */
  failure_rate: number
  /** runs only with --jobs, so a scenario's plain timing runs stay as they are */
  opt_in: boolean
}

const target = z.string().regex(/^(busiest|random|orch-\d+)$/, 'expected an orchestrator name (orch-0, orch-1, ...), busiest or random')

/** Fault types by what they act on: a process (an orchestrator) or a link (a group's connections). */
export const ALL_FAULT_TYPES = [...FAULT_TYPES, ...LINK_FAULT_TYPES] as const
export type AnyFaultType = FaultType | LinkFaultType
export const isLinkFault = (t: string): t is LinkFaultType => (LINK_FAULT_TYPES as readonly string[]).includes(t)

const linkTarget = z.strictObject({
  group: z.string().min(1),
  orchestrator: z.union([z.literal('all'), target]).default('all'),
})

/** The options of a fault, shared by `fault` steps and chaos entries. */
const faultFields = {
  target: z.union([target, linkTarget]),
  direction: z.enum(['both', 'to_orchestrator', 'to_node']).default('both'),
  probability: z.number().min(0, 'expected a probability from 0 to 1').max(1, 'expected a probability from 0 to 1').default(1),
  /** heal by itself after this long */
  duration: durationSchema.optional(),
  latency: durationSchema.optional(),
  jitter: durationSchema.optional(),
  /** bandwidth: bytes per second, or `64kB/s`, `1MB/s` */
  rate: z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?\s*(B|kB|KB|MB)\/s$/, 'expected a rate such as 64kB/s')]).optional(),
}

const faultType = z.string().superRefine((v, ctx) => {
  if (v !== 'default' && !(ALL_FAULT_TYPES as readonly string[]).includes(v)) {
    ctx.addIssue({ code: 'custom', message: `unknown fault type "${v}"; known: ${ALL_FAULT_TYPES.join(', ')} (or default: the run's --fault)` })
  }
})

const checkTargetKind = (type: string, t: unknown, ctx: z.RefinementCtx, path: (string | number)[]) => {
  const link = isLinkFault(type)
  if (link && typeof t === 'string')
    ctx.addIssue({ code: 'custom', path, message: `a ${type} fault acts on links: target must be { group: <name>, orchestrator: <orch-N|all> }` })
  if (!link && typeof t !== 'string')
    ctx.addIssue({ code: 'custom', path, message: `a ${type} fault acts on an orchestrator: target must be orch-N, busiest or random` })
}

export interface FaultOptions {
  type: AnyFaultType | 'default'
  target: string | { group: string; orchestrator: string }
  direction: Direction
  probability: number
  duration?: DurationSpec
  latency?: DurationSpec
  jitter?: DurationSpec
  rate?: number | string
}

export interface ChaosOptions {
  duration: DurationSpec
  /** quiet time after each fault heals, before the next */
  gap: DurationSpec
  /** every node must be back within this after each heal */
  recover_within: DurationSpec
  faults: (FaultOptions & { weight: number })[]
}

const stepSchemas = {
  wait: z.strictObject({ wait: durationSchema }),
  /** on_timeout: fail (a timeout fails the run) or note (it is reported, and the assertions
   *  judge: for a condition a transport is expected never to reach) */
  wait_for: z.strictObject({ wait_for: z.enum(CONDITIONS), timeout: durationSchema, on_timeout: z.enum(['fail', 'note']).default('fail') }),
  fault: z.strictObject({ fault: faultType, ...faultFields }).superRefine((v, ctx) => checkTargetKind(v.fault, v.target, ctx, ['target'])),
  chaos: z.strictObject({
    chaos: z.strictObject({
      duration: durationSchema,
      gap: durationSchema.default('1s'),
      recover_within: durationSchema,
      faults: z
        .array(
          z
            .strictObject({ fault: faultType, weight: z.number().positive().default(1), ...faultFields, duration: durationSchema })
            .superRefine((v, ctx) => checkTargetKind(v.fault, v.target, ctx, ['target'])),
        )
        .min(1),
    }),
  }),
  heal: z.strictObject({ heal: z.union([z.literal('all'), target]) }),
  restart: z.strictObject({ restart: z.union([z.literal('all'), target]), rotate_token: z.boolean().default(false) }),
  rogue_orchestrator: z.strictObject({ rogue_orchestrator: z.strictObject({ window: durationSchema }) }),
  /** a job-style call: orchestrators ask every started node for a bid (DESIGN.md §1, dispatcher) */
  ask_for_bid: z.strictObject({
    ask_for_bid: z.strictObject({
      /** bound on each call (dial included in libp2p mode) */
      timeout: durationSchema,
      /** who asks: every live orchestrator (all), or one */
      from: z.union([z.literal('all'), target]).default('all'),
      /** the metric its timings go to (default bid_ms): name steps apart, e.g. bid_after_loss_ms */
      metric: z
        .string()
        .regex(/^[a-z][a-z0-9_]*_ms$/, 'expected a metric name ending in _ms, such as bid_after_loss_ms')
        .default('bid_ms'),
    }),
  }),
  scale: z.strictObject({ scale: z.strictObject({ orchestrators: z.number().int().min(1).max(32) }) }),
  mark: z.strictObject({ mark: z.string().min(1) }),
  jobs: z.strictObject({
    jobs: z.strictObject({
      rate: z.number().positive('expected jobs per second > 0').max(10_000, 'expected at most 10000 jobs per second'),
      duration: durationSchema,
      for: durationSchema.optional(),
      nodes: z.string().min(1).default('all'),
      // busiest/random name no orchestrator a client would submit to: all, or a name
      via: z.union([z.literal('all'), z.string().regex(/^orch-\d+$/, 'expected all or an orchestrator name (orch-0, orch-1, ...)')]).default('all'),
      timeout: durationSchema.default('10s'),
      budget: durationSchema.optional(),
      failure_rate: z.number().min(0, 'expected a share from 0 to 1').max(1, 'expected a share from 0 to 1').default(0),
      opt_in: z.boolean().default(false),
    }),
  }),
} as const

export const STEP_KEYWORDS = Object.keys(stepSchemas) as (keyof typeof stepSchemas)[]

/** Issues are reported relative to the step. */
export type StepParse = { ok: true; step: Step } | { ok: false; issues: { path: (string | number)[]; message: string }[] }

export const parseStep = (raw: unknown): StepParse => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: [], message: `expected a step (a map with one of: ${STEP_KEYWORDS.join(', ')})` }] }
  }
  const keys = Object.keys(raw).filter((k) => (STEP_KEYWORDS as string[]).includes(k))
  if (keys.length !== 1) {
    return {
      ok: false,
      issues: [
        {
          path: [],
          message:
            keys.length === 0 ? `unknown step; expected one of: ${STEP_KEYWORDS.join(', ')}` : `one step per list item, found ${keys.join(' and ')}`,
        },
      ],
    }
  }
  const kind = keys[0] as keyof typeof stepSchemas
  const r = stepSchemas[kind].safeParse(raw)
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })) }
  const d = r.data as Record<string, unknown>
  switch (kind) {
    case 'wait':
      return { ok: true, step: { kind, duration: d.wait as DurationSpec } }
    case 'wait_for':
      return {
        ok: true,
        step: {
          kind,
          condition: d.wait_for as Condition,
          timeout: d.timeout as DurationSpec,
          ...(d.on_timeout === 'note' ? { onTimeout: 'note' as const } : {}),
        },
      }
    case 'fault':
      return { ok: true, step: { kind, fault: toFaultOptions(d) } }
    case 'chaos': {
      const c = d.chaos as Record<string, unknown> & { faults: Record<string, unknown>[] }
      return {
        ok: true,
        step: {
          kind,
          chaos: {
            duration: c.duration as DurationSpec,
            gap: c.gap as DurationSpec,
            recover_within: c.recover_within as DurationSpec,
            faults: c.faults.map((f) => ({ ...toFaultOptions(f), weight: f.weight as number })),
          },
        },
      }
    }
    case 'heal':
      return { ok: true, step: { kind, target: d.heal as string } }
    case 'restart':
      return { ok: true, step: { kind, target: d.restart as string, rotateToken: d.rotate_token as boolean } }
    case 'rogue_orchestrator':
      return { ok: true, step: { kind, window: (d.rogue_orchestrator as { window: DurationSpec }).window } }
    case 'ask_for_bid': {
      const a = d.ask_for_bid as { timeout: DurationSpec; from: string; metric: string }
      return { ok: true, step: { kind, timeout: a.timeout, from: a.from, metric: a.metric } }
    }
    case 'scale':
      return { ok: true, step: { kind, orchestrators: (d.scale as { orchestrators: number }).orchestrators } }
    case 'mark':
      return { ok: true, step: { kind, name: d.mark as string } }
    case 'jobs': {
      const j = d.jobs as Omit<JobsOptions, 'rate'> & { rate: number }
      return { ok: true, step: { kind, jobs: j } }
    }
  }
}

/** One line for logs and events. */
export const describeStep = (s: Step): string => {
  switch (s.kind) {
    case 'wait':
      return `wait ${s.duration}`
    case 'wait_for':
      return `wait_for ${s.condition} (timeout ${s.timeout}${s.onTimeout === 'note' ? ', a timeout is noted' : ''})`
    case 'fault':
      return `fault ${s.fault.type} on ${describeTarget(s.fault.target)}`
    case 'chaos':
      return `chaos for ${s.chaos.duration}`
    case 'heal':
      return `heal ${s.target}`
    case 'restart':
      return `restart ${s.target}${s.rotateToken ? ' with a new token' : ''}`
    case 'rogue_orchestrator':
      return `rogue orchestrator joins for ${s.window}`
    case 'ask_for_bid':
      return `ask_for_bid from ${s.from === 'all' ? 'every live orchestrator' : s.from} (timeout ${s.timeout}) as ${s.metric}`
    case 'scale':
      return `scale to ${s.orchestrators} orchestrators`
    case 'mark':
      return `mark ${s.name}`
    case 'jobs':
      return `jobs: ${s.jobs.rate}/s of ${s.jobs.duration} on ${s.jobs.nodes === 'all' ? 'any node' : `group ${s.jobs.nodes}`} via ${s.jobs.via === 'all' ? 'every live orchestrator' : s.jobs.via}${s.jobs.for === undefined ? ' until the timeline ends' : ` for ${s.jobs.for}`}`
  }
}

const toFaultOptions = (d: Record<string, unknown>): FaultOptions => {
  const o: FaultOptions = {
    type: d.fault as AnyFaultType | 'default',
    target: d.target as FaultOptions['target'],
    direction: d.direction as Direction,
    probability: d.probability as number,
  }
  for (const k of ['duration', 'latency', 'jitter', 'rate'] as const) if (d[k] !== undefined) (o as unknown as Record<string, unknown>)[k] = d[k]
  return o
}

export const describeTarget = (t: FaultOptions['target']): string => (typeof t === 'string' ? t : `links of ${t.group} to ${t.orchestrator}`)
