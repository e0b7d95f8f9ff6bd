import { z } from 'zod'
import type { DurationSpec } from '../core/duration.ts'
import { JobWorkload, type WorkloadSpec } from '../jobs/workload.ts'
import { durationSchema } from '../plan/duration-schema.ts'
import type { StepKind } from './step-kind.ts'

/**
 * `- jobs: { rate, duration, ... }`: a background job workload (sim/jobs/workload.ts); the
 * timeline goes on while it runs, and at its end submitting stops and outcomes are awaited up
 * to each job's budget. `opt_in: true` runs it only with --jobs, so a scenario's plain timing
 * runs stay as they are.
 */
export interface JobsStep {
  kind: 'jobs'
  jobs: {
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
    opt_in: boolean
  }
}

export interface JobsPlan {
  kind: 'jobs'
  jobs: WorkloadSpec
  text: string
}

const describe = (s: JobsStep): string => {
  const j = s.jobs
  const nodes = j.nodes === 'all' ? 'any node' : `group ${j.nodes}`
  const via = j.via === 'all' ? 'every live orchestrator' : j.via
  return `jobs: ${j.rate}/s of ${j.duration} on ${nodes} via ${via}${j.for === undefined ? ' until the timeline ends' : ` for ${j.for}`}`
}

const share = z.number().min(0, 'expected a share from 0 to 1').max(1, 'expected a share from 0 to 1')

export const jobs: StepKind<JobsStep, JobsPlan> = {
  keyword: 'jobs',
  summary: "a background job workload (Bacalhau's bid/run flow) while the timeline runs",
  schema: z
    .strictObject({
      jobs: z.strictObject({
        rate: z.number().positive('expected jobs per second > 0').max(10_000, 'expected at most 10000 jobs per second'),
        duration: durationSchema,
        for: durationSchema.optional(),
        nodes: z.string().min(1).default('all'),
        // busiest/random name no orchestrator a client would submit to: all, or a name
        via: z.union([z.literal('all'), z.string().regex(/^orch-\d+$/, 'expected all or an orchestrator name (orch-0, orch-1, ...)')]).default('all'),
        timeout: durationSchema.default('10s'),
        budget: durationSchema.optional(),
        failure_rate: share.default(0),
        opt_in: z.boolean().default(false),
      }),
    })
    .transform((d): JobsStep => ({ kind: 'jobs', jobs: d.jobs as JobsStep['jobs'] })),
  describe,
  resolve: (s, ctx) => {
    const j = s.jobs
    const base = [...ctx.path, 'jobs']
    if (j.nodes !== 'all' && !ctx.groups.has(j.nodes))
      ctx.issue([...base, 'nodes'], `no group named "${j.nodes}" (groups: ${[...ctx.groups].join(', ')}, all)`)
    ctx.orchestrator(ctx.path, j.via)
    // An opt-in workload stays out of the plain timing runs (no --jobs); checked all the same.
    if (j.opt_in && !ctx.jobs) return null
    const runMs = ctx.ms([...base, 'duration'], j.duration)
    const timeoutMs = ctx.ms([...base, 'timeout'], j.timeout)
    const spec: WorkloadSpec = {
      rate: j.rate,
      runMs,
      forMs: j.for === undefined ? null : ctx.ms([...base, 'for'], j.for),
      group: j.nodes === 'all' ? null : j.nodes,
      via: j.via,
      timeoutMs,
      budgetMs: j.budget === undefined ? runMs + 3 * timeoutMs : ctx.ms([...base, 'budget'], j.budget),
      failureRate: j.failure_rate,
    }
    if (spec.budgetMs < runMs)
      ctx.issue([...base, 'budget'], `a budget of ${spec.budgetMs} ms is shorter than the run itself (${runMs} ms): every job would be lost`)
    return { kind: 'jobs', jobs: spec, text: describe(s) }
  },
  run: async (ctx, p, index) => {
    const w = new JobWorkload(p.jobs, { cluster: ctx.cluster, recorder: ctx.recorder, rng: ctx.rng.fork(`jobs-${index}`), prefix: `j${index}-` })
    ctx.workloads.push(w)
    w.start()
    ctx.out.line(`  ${p.text}`)
    return true
  },
  /** Stops submitting, waits for outcomes up to each workload's budget, and says how it went. */
  settle: async (ctx) => {
    for (const w of ctx.workloads) w.stopSubmitting()
    for (const [k, w] of ctx.workloads.entries()) {
      const started = Date.now()
      ctx.out.progress(`  jobs: waiting for outcomes`)
      const t = await w.settle(ctx.signal)
      const which = ctx.workloads.length > 1 ? ` #${k + 1}` : ''
      const waited = ((Date.now() - started) / 1000).toFixed(1)
      ctx.out.line(
        `  jobs${which}: ${t.submitted} submitted, ${t.completed} completed, ${t.failed} failed, ${t.open} without an outcome (waited ${waited} s)`,
      )
    }
  },
}
