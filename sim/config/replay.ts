import { readFileSync } from 'node:fs'
import { NetsimError } from '../core/errors.ts'
import type { ChaosEntry, PlanStep } from './run-plan.ts'

/**
 * `--replay run.json`: a failed chaos run is re-run with its seed and its realised schedules,
 * taken from the report rather than drawn again (so a replay holds even if the drawing code
 * changed since).
 */
export interface Replay {
  seed: number
  schedules: ChaosEntry[][]
}

export const loadReplay = (file: string): Replay => {
  let run: { seed?: unknown; config?: { timeline?: { kind?: string; schedule?: ChaosEntry[] }[] } }
  try {
    run = JSON.parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new NetsimError('E_USAGE', `--replay ${file}: cannot read it as a run.json: ${(err as Error).message}`)
  }
  if (typeof run.seed !== 'number' || !Array.isArray(run.config?.timeline)) {
    throw new NetsimError('E_USAGE', `--replay ${file}: not a netsim run.json (it needs seed and config.timeline)`)
  }
  const schedules = run.config.timeline.filter((s) => s.kind === 'chaos').map((s) => s.schedule ?? [])
  return { seed: run.seed, schedules }
}

export const replaySchedules = (timeline: PlanStep[], replay: Replay, file: string): void => {
  const chaos = timeline.filter((s): s is Extract<PlanStep, { kind: 'chaos' }> => s.kind === 'chaos')
  if (chaos.length !== replay.schedules.length) {
    throw new NetsimError(
      'E_USAGE',
      `--replay ${file}: the recorded run has ${replay.schedules.length} chaos step(s), this scenario has ${chaos.length}`,
    )
  }
  chaos.forEach((step, i) => {
    step.schedule = replay.schedules[i] as ChaosEntry[]
    step.text = `chaos: ${step.schedule.length} faults (replayed from ${file})`
  })
}
