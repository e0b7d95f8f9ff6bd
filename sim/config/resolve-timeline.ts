import { parseDuration, DurationError, type TimerValues } from '../core/duration.ts'
import type { Rng } from '../core/rng.ts'
import type { PlanStep } from '../plan/run-plan.ts'
import { parseStep, stepKind, type ParsedStep, type ResolveContext } from '../steps/index.ts'
import type { Replay } from './replay.ts'
import type { Issue, Path } from './yaml-file.ts'

/**
 * The timeline, step by step through the registry: each item parsed by its kind's schema, then
 * resolved (durations to ms, targets checked, a chaos schedule drawn or replayed). Every problem
 * is collected with its path, so a file with three mistakes names all three.
 */
export interface TimelineInput {
  groups: ReadonlySet<string>
  orchestrators: number
  defaultFault: string
  timers: TimerValues
  rng: Rng
  jobs: boolean
  replay?: Replay
}

/** Parses every step; the steps as written and the problems found. */
export const parseTimeline = (raw: readonly unknown[]): { steps: ParsedStep[]; issues: Issue[] } => {
  const steps: ParsedStep[] = []
  const issues: Issue[] = []
  raw.forEach((item, i) => {
    const r = parseStep(item)
    if (r.ok) steps.push(r.step)
    else issues.push(...r.issues.map((x) => ({ path: ['timeline', i, ...x.path], message: x.message })))
  })
  return { steps, issues }
}

/** The most orchestrators the run will have: at start, or after its scale steps. */
export const maxOrchestrators = (steps: readonly ParsedStep[], atStart: number): number =>
  steps.reduce((m, s) => Math.max(m, stepKind(s.kind).orchestrators?.(s) ?? 0), atStart)

export const resolveTimeline = (steps: readonly ParsedStep[], input: TimelineInput, issues: Issue[]): PlanStep[] => {
  const maxOrch = maxOrchestrators(steps, input.orchestrators)
  const seenOfKind = new Map<string, number>()
  const timeline: PlanStep[] = []
  steps.forEach((s, i) => {
    const kind = stepKind(s.kind)
    const nth = seenOfKind.get(s.kind) ?? 0
    seenOfKind.set(s.kind, nth + 1)
    const recorded = kind.replayable ? input.replay?.steps.filter((r) => r.kind === s.kind)[nth] : undefined
    const ctx: ResolveContext = {
      path: ['timeline', i],
      ms: (path: Path, spec) => {
        try {
          return parseDuration(spec, input.timers)
        } catch (e) {
          if (!(e instanceof DurationError)) throw e
          issues.push({ path, message: e.message })
          return 0
        }
      },
      issue: (path, message) => issues.push({ path, message }),
      orchestrator: (path, name) => {
        const m = /^orch-(\d+)$/.exec(name)
        if (m && Number(m[1]) >= maxOrch)
          issues.push({ path, message: `${name} does not exist: the run has ${maxOrch} orchestrator(s), orch-0..orch-${maxOrch - 1}` })
      },
      groups: input.groups,
      orchestrators: input.orchestrators,
      maxOrchestrators: maxOrch,
      defaultFault: input.defaultFault,
      // the same label as always, so a seed draws the same chaos schedule
      rng: input.rng.fork(`${s.kind}-${i}`),
      jobs: input.jobs,
      ...(recorded === undefined || input.replay === undefined ? {} : { replayed: { step: recorded, file: input.replay.file } }),
    }
    const p = kind.resolve(s, ctx)
    if (p !== null) timeline.push(p)
  })
  return timeline
}
