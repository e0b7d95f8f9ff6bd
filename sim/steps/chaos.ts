import { z } from 'zod'
import type { DurationSpec } from '../core/duration.ts'
import { faultRequirements } from '../faults/fault-requirements.ts'
import { durationSchema } from '../plan/duration-schema.ts'
import type { ChaosEntry, PlanFault } from '../plan/run-plan.ts'
import { drawChaosSchedule } from './chaos-schedule.ts'
import { healFault, startFault } from './fault.ts'
import { checkTargetKind, faultFields, faultTypeSchema, resolveFault, toFaultOptions, type FaultOptions } from './fault-options.ts'
import type { StepKind } from './step-kind.ts'
import { waitForCondition } from './wait-for.ts'
import { sleep } from '../core/clock.ts'

/**
 * `- chaos: { duration, gap, recover_within, faults: [...] }`: faults drawn from a weighted list,
 * one at a time, from the run's seed; after each heal every node must be back within
 * `recover_within`. The schedule is drawn when the plan is resolved, so run.json records it and
 * `--replay` re-runs exactly it.
 */
export interface ChaosStep {
  kind: 'chaos'
  chaos: {
    duration: DurationSpec
    /** quiet time after each fault heals, before the next */
    gap: DurationSpec
    /** every node must be back within this after each heal */
    recover_within: DurationSpec
    faults: (FaultOptions & { weight: number })[]
  }
}

export interface ChaosPlan {
  kind: 'chaos'
  schedule: ChaosEntry[]
  recoverWithinMs: number
  text: string
}

const entry = z
  .strictObject({ fault: faultTypeSchema, weight: z.number().positive().default(1), ...faultFields, duration: durationSchema })
  .superRefine((v, ctx) => checkTargetKind(v.fault, v.target, ctx, ['target']))

export const chaos: StepKind<ChaosStep, ChaosPlan> = {
  keyword: 'chaos',
  summary: 'faults drawn from a weighted list for a duration, each healed, every node back within a budget',
  replayable: true,
  schema: z
    .strictObject({
      chaos: z.strictObject({
        duration: durationSchema,
        gap: durationSchema.default('1s'),
        recover_within: durationSchema,
        faults: z.array(entry).min(1),
      }),
    })
    .transform((d): ChaosStep => ({
      kind: 'chaos',
      chaos: { ...d.chaos, faults: d.chaos.faults.map((f) => ({ ...toFaultOptions(f), weight: f.weight })) },
    })),
  describe: (s) => `chaos for ${s.chaos.duration}`,
  resolve: (s, ctx) => {
    const c = s.chaos
    const base = [...ctx.path, 'chaos']
    const recoverWithinMs = ctx.ms([...base, 'recover_within'], c.recover_within)
    const choices = c.faults.map((f, j) => ({
      weight: f.weight,
      fault: resolveFault(f, ctx, [...base, 'faults', j], true) as PlanFault & { durationMs: number },
    }))
    const replayed = ctx.replayed?.step as ChaosPlan | undefined
    if (replayed !== undefined) {
      const schedule = replayed.schedule ?? []
      return { kind: 'chaos', schedule, recoverWithinMs, text: `chaos: ${schedule.length} faults (replayed from ${ctx.replayed?.file})` }
    }
    const schedule = drawChaosSchedule(
      {
        durationMs: ctx.ms([...base, 'duration'], c.duration),
        gapMs: ctx.ms([...base, 'gap'], c.gap),
        choices,
        orchestrators: Array.from({ length: ctx.orchestrators }, (_, k) => `orch-${k}`),
        groups: [...ctx.groups],
      },
      ctx.rng,
    )
    return { kind: 'chaos', schedule, recoverWithinMs, text: `chaos: ${schedule.length} faults over ${c.duration}` }
  },
  requires: (p) => p.schedule.flatMap((e) => faultRequirements(e.fault)),
  faults: (p) => p.schedule.map((e) => e.fault),
  run: async (ctx, p, index) => {
    let ok = true
    const start = Date.now()
    for (const [k, e] of p.schedule.entries()) {
      await sleep(Math.max(0, start + e.atMs - Date.now()), ctx.signal)
      const f = await startFault(ctx, e.fault, `c${index}.${k}`)
      await sleep(e.fault.durationMs, ctx.signal)
      await healFault(ctx, f)
      // The invariant: every node back within the budget after each heal.
      if (!(await waitForCondition(ctx, 'recovered', p.recoverWithinMs, `chaos fault ${k} (${e.fault.type})`))) ok = false
    }
    return ok
  },
}
