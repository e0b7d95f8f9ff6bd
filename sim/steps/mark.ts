import { z } from 'zod'
import type { StepKind } from './step-kind.ts'

/** `- mark: steady`: a named moment on the timeline (a `mark` event; the HTML timeline draws it). */
export interface MarkStep {
  kind: 'mark'
  name: string
}

export const mark: StepKind<MarkStep, MarkStep & { text: string }> = {
  keyword: 'mark',
  summary: 'record a named moment',
  schema: z.strictObject({ mark: z.string().min(1) }).transform((d): MarkStep => ({ kind: 'mark', name: d.mark })),
  describe: (s) => `mark ${s.name}`,
  resolve: (s) => ({ ...s, text: `mark ${s.name}` }),
  run: async (ctx, p) => {
    ctx.recorder.note('mark', {}, { name: p.name })
    return true
  },
}
