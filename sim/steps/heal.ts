import { z } from 'zod'
import { orchTargetSchema } from '../plan/duration-schema.ts'
import { healFault } from './fault.ts'
import type { StepKind } from './step-kind.ts'

/** `- heal: all` (or an orchestrator): undoes the active faults on it (restarts a killed one, thaws a frozen one). */
export interface HealStep {
  kind: 'heal'
  target: string
}

export const heal: StepKind<HealStep, HealStep & { text: string }> = {
  keyword: 'heal',
  summary: 'undo active faults: all, or those on one orchestrator',
  schema: z.strictObject({ heal: z.union([z.literal('all'), orchTargetSchema]) }).transform((d): HealStep => ({ kind: 'heal', target: d.heal })),
  describe: (s) => `heal ${s.target}`,
  resolve: (s, ctx) => {
    ctx.orchestrator(ctx.path, s.target)
    return { ...s, text: `heal ${s.target}` }
  },
  run: async (ctx, p) => {
    const targets = [...ctx.active.values()].filter((f) => p.target === 'all' || f.targets.includes(p.target))
    for (const f of targets) await healFault(ctx, f)
    return true
  },
}
