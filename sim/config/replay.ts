import { readFileSync } from 'node:fs'
import { NetsimError } from '../core/errors.ts'
import type { PlanStep } from '../plan/run-plan.ts'
import { STEPS } from '../steps/index.ts'

/**
 * `--replay run.json`: a failed run is re-run with its seed and the steps it resolved, taken
 * from the report rather than resolved again (so a replay holds even if the drawing code
 * changed since). Which kinds are taken from the record is the step registry's say
 * (`replayable`: a chaos schedule); each must appear as often in the scenario as in the record.
 */
export interface Replay {
  file: string
  seed: number
  steps: PlanStep[]
}

export const loadReplay = (file: string): Replay => {
  let run: { seed?: unknown; config?: { timeline?: unknown } }
  try {
    run = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new NetsimError('E_USAGE', `--replay ${file}: cannot read it as a run.json: ${(err as Error).message}`)
  }
  if (typeof run.seed !== 'number' || !Array.isArray(run.config?.timeline)) {
    throw new NetsimError('E_USAGE', `--replay ${file}: not a netsim run.json (it needs seed and config.timeline)`)
  }
  const steps = (run.config.timeline as unknown[]).filter(
    (s): s is PlanStep => typeof s === 'object' && s !== null && typeof (s as PlanStep).kind === 'string',
  )
  return { file, seed: run.seed, steps }
}

/** Each replayable kind appears as often in the scenario (`kinds`) as in the record. */
export const checkReplayCounts = (replay: Replay, kinds: readonly string[]): void => {
  for (const [keyword, kind] of STEPS) {
    if (!kind.replayable) continue
    const recorded = replay.steps.filter((s) => s.kind === keyword).length
    const here = kinds.filter((k) => k === keyword).length
    if (recorded !== here)
      throw new NetsimError('E_USAGE', `--replay ${replay.file}: the recorded run has ${recorded} ${keyword} step(s), this scenario has ${here}`)
  }
}
