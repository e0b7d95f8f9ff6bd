import { NetsimError } from '../core/errors.ts'
import type { RunPlan } from '../plan/run-plan.ts'
import { STEPS, stepKind, type StepContext } from '../steps/index.ts'

/**
 * The timeline: each step run by its kind (the step registry), bracketed by `step.start` and
 * `step.end` events; then every kind settles what it left running (faults due to heal, job
 * workloads' outcomes). An abort stops it between steps (and inside waits).
 */
export const runTimeline = async (ctx: StepContext, plan: RunPlan): Promise<void> => {
  const check = () => {
    if (ctx.signal.aborted) throw new NetsimError('E_INTERRUPTED', 'interrupted')
  }
  for (const [index, step] of plan.timeline.entries()) {
    check()
    ctx.recorder.note('step.start', {}, { index, step: step.text })
    const ok = await stepKind(step.kind).run(ctx, step, index)
    ctx.recorder.note('step.end', {}, { index, step: step.text, ok })
  }
  for (const kind of STEPS.values()) await kind.settle?.(ctx)
  check()
}
