import { z } from 'zod'
import { isQuiet } from '../core/cluster.ts'
import { sleep } from '../core/clock.ts'
import { applyFault, type ActiveFault } from '../faults/apply-fault.ts'
import { faultRequirements } from '../faults/fault-requirements.ts'
import type { PlanFault } from '../plan/run-plan.ts'
import { checkTargetKind, describeTarget, faultFields, faultTypeSchema, resolveFault, toFaultOptions, type FaultOptions } from './fault-options.ts'
import type { StepContext, StepKind } from './step-kind.ts'

/**
 * `- fault: kill` with a `target` (and options): applies a fault of the registry (sim/faults).
 * With a `duration` it heals by itself while the timeline goes on; otherwise a `heal` step (or
 * the end of the run) ends it.
 */
export interface FaultStep {
  kind: 'fault'
  fault: FaultOptions
}

export interface FaultPlan {
  kind: 'fault'
  fault: PlanFault
  text: string
}

/** Applies a fault (from the first one on, every heartbeat may be a resume: orchestrators report them all). */
export const startFault = async (ctx: StepContext, fault: PlanFault, id: string): Promise<ActiveFault> => {
  if (isQuiet(ctx.cluster)) ctx.cluster.setVerbose(true)
  const active = await applyFault({ cluster: ctx.cluster, links: ctx.links, recorder: ctx.recorder, rng: ctx.rng, seed: ctx.seed }, fault, id)
  ctx.active.set(id, active)
  ctx.out.line(`  fault: ${active.description}`)
  return active
}

export const healFault = async (ctx: StepContext, f: ActiveFault): Promise<void> => {
  if (!ctx.active.delete(f.id)) return
  await f.heal()
  ctx.out.line(`  heal: ${f.type} (${f.id})`)
}

export const fault: StepKind<FaultStep, FaultPlan> = {
  keyword: 'fault',
  summary: "apply a fault (kill, freeze, blackhole, latency...) to an orchestrator or a group's links",
  schema: z
    .strictObject({ fault: faultTypeSchema, ...faultFields })
    .superRefine((v, ctx) => checkTargetKind(v.fault, v.target, ctx, ['target']))
    .transform((d): FaultStep => ({ kind: 'fault', fault: toFaultOptions(d) })),
  describe: (s) => `fault ${s.fault.type} on ${describeTarget(s.fault.target)}`,
  resolve: (s, ctx) => {
    const f = resolveFault(s.fault, ctx, ctx.path)
    return { kind: 'fault', fault: f, text: `fault ${f.type} on ${describeTarget(f.target)}` }
  },
  requires: (p) => faultRequirements(p.fault),
  faults: (p) => [p.fault],
  run: async (ctx, p, index) => {
    const f = await startFault(ctx, p.fault, `f${index}`)
    const ms = p.fault.durationMs
    if (ms !== undefined) {
      // Heals by itself while the timeline goes on (a wait_for can watch the fault).
      const healing = (async () => {
        try {
          await sleep(ms, ctx.signal)
        } catch {
          return // aborted: the run's teardown undoes every fault
        }
        try {
          await healFault(ctx, f)
        } catch (err) {
          ctx.timeouts.push(`fault ${f.id} (${f.type}): healing it failed: ${(err as Error).message}`)
        }
      })()
      ctx.pendingHeals.add(healing)
      void healing.then(() => ctx.pendingHeals.delete(healing))
    }
    return true
  },
  settle: async (ctx) => {
    await Promise.all([...ctx.pendingHeals])
  },
}
