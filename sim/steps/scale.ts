import { z } from 'zod'
import type { StepKind } from './step-kind.ts'

/** `- scale: { orchestrators: 4 }`: orchestrators join the running cluster until there are that many. */
export interface ScaleStep {
  kind: 'scale'
  orchestrators: number
}

export const scale: StepKind<ScaleStep, ScaleStep & { text: string }> = {
  keyword: 'scale',
  summary: 'add orchestrators to the running cluster',
  schema: z
    .strictObject({ scale: z.strictObject({ orchestrators: z.number().int().min(1).max(32) }) })
    .transform((d): ScaleStep => ({ kind: 'scale', orchestrators: d.scale.orchestrators })),
  describe: (s) => `scale to ${s.orchestrators} orchestrators`,
  resolve: (s) => ({ ...s, text: `scale to ${s.orchestrators} orchestrators` }),
  orchestrators: (s) => s.orchestrators,
  run: async (ctx, p) => {
    while (ctx.cluster.members.length < p.orchestrators) {
      const o = await ctx.cluster.add()
      ctx.out.line(`  scale: ${o.name} joined at ${o.clientHostPort}`)
    }
    return true
  },
}
