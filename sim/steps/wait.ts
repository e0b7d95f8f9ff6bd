import { z } from 'zod'
import { sleep } from '../core/clock.ts'
import type { DurationSpec } from '../core/duration.ts'
import { durationSchema } from '../plan/duration-schema.ts'
import type { StepKind } from './step-kind.ts'

/** `- wait: 2s` (or a timer expression): the timeline pauses. */
export interface WaitStep {
  kind: 'wait'
  duration: DurationSpec
}

export const wait: StepKind<WaitStep, { kind: 'wait'; ms: number; text: string }> = {
  keyword: 'wait',
  summary: 'pause the timeline for a duration',
  schema: z.strictObject({ wait: durationSchema }).transform((d): WaitStep => ({ kind: 'wait', duration: d.wait })),
  describe: (s) => `wait ${s.duration}`,
  resolve: (s, ctx) => ({ kind: 'wait', ms: ctx.ms([...ctx.path, 'wait'], s.duration), text: `wait ${s.duration}` }),
  run: async (ctx, p) => {
    await sleep(p.ms, ctx.signal)
    return true
  },
}
