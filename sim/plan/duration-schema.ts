import { z } from 'zod'
import { checkDurationSyntax } from '../core/duration.ts'
import { TIMER_NAMES } from '../model/profiles.ts'

/** A duration in a scenario: ms, `2s`, or an expression over the scaled timers (`3 * ping_interval`). */
export const durationSchema = z.union([z.number().nonnegative(), z.string()]).superRefine((v, ctx) => {
  const problem = checkDurationSyntax(v, TIMER_NAMES)
  if (problem) ctx.addIssue({ code: 'custom', message: `expected a duration (500ms, 2s, or an expression like "3 * ping_interval"): ${problem}` })
})

/** A timer override in Bacalhau's units: a plain duration, no timer names. */
export const timerValueSchema = z.union([z.number().nonnegative(), z.string()]).superRefine((v, ctx) => {
  const problem = checkDurationSyntax(v, [])
  if (problem) ctx.addIssue({ code: 'custom', message: `expected a duration such as 15s or 500ms: ${problem}` })
})

/**
 * An orchestrator named by a step or a fault: orch-N, busiest (most nodes now), random (seeded),
 * or membership_leader (the one whose server leads the membership bucket: with one replica,
 * the only one holding it).
 */
export const orchTargetSchema = z
  .string()
  .regex(/^(busiest|random|membership_leader|orch-\d+)$/, 'expected an orchestrator name (orch-0, orch-1, ...), busiest, random or membership_leader')
