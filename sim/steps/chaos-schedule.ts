import type { ChaosEntry, PlanFault } from '../plan/run-plan.ts'
import type { Rng } from '../core/rng.ts'

/**
 * A chaos schedule, drawn once from the run's seed before anything starts: faults picked by
 * weight, `random` targets resolved to names, one fault at a time (each heals, then a gap, then
 * the next), until the chaos duration is used up. Pure: the same seed and inputs give the same
 * schedule, and a recorded schedule can be replayed as is.
 */
export interface ChaosChoice {
  weight: number
  fault: PlanFault & { durationMs: number }
}

export const drawChaosSchedule = (
  opts: { durationMs: number; gapMs: number; choices: ChaosChoice[]; orchestrators: string[]; groups: string[] },
  rng: Rng,
): ChaosEntry[] => {
  const total = opts.choices.reduce((a, c) => a + c.weight, 0)
  const pick = (): ChaosChoice => {
    let x = rng.next() * total
    for (const c of opts.choices) if ((x -= c.weight) < 0) return c
    return opts.choices.at(-1) as ChaosChoice
  }
  const anyOf = (names: string[]) => names[rng.int(names.length)] as string
  const entries: ChaosEntry[] = []
  for (let at = 0; at < opts.durationMs;) {
    const c = pick()
    const t = c.fault.target
    const target =
      typeof t === 'string'
        ? t === 'random'
          ? anyOf(opts.orchestrators)
          : t
        : {
            group: t.group === 'random' ? anyOf(opts.groups) : t.group,
            orchestrator: t.orchestrator === 'random' ? anyOf(opts.orchestrators) : t.orchestrator,
          }
    entries.push({ atMs: at, fault: { ...c.fault, target } })
    at += c.fault.durationMs + opts.gapMs
  }
  return entries
}
