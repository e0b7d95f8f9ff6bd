import { z } from 'zod'
import { durationSchema, FAULT_TYPES, type FaultType } from '../config/settings-schema.ts'
import type { DurationSpec } from '../duration.ts'

/**
 * Timeline steps (DESIGN.md §3). In YAML each step is a map whose one step keyword names it,
 * with options beside it:
 *
 *   - wait_for: discovered
 *     timeout: 30s
 *   - fault: default          # the run's fault type (--fault), or kill|stop|freeze|lame-duck
 *     target: busiest         # an orchestrator name, `busiest` or `random`
 */
export const CONDITIONS = ['registered', 'discovered', 'pool_complete', 'recovered'] as const
export type Condition = (typeof CONDITIONS)[number]

export type Step =
  | { kind: 'wait'; duration: DurationSpec }
  | { kind: 'wait_for'; condition: Condition; timeout: DurationSpec }
  | { kind: 'fault'; type: FaultType | 'default'; target: string }
  | { kind: 'heal'; target: string }
  | { kind: 'restart'; target: string; rotateToken: boolean }
  | { kind: 'rogue_orchestrator'; window: DurationSpec }
  | { kind: 'scale'; orchestrators: number }
  | { kind: 'mark'; name: string }

const target = z.string().regex(/^(busiest|random|orch-\d+)$/, 'expected an orchestrator name (orch-0, orch-1, ...), busiest or random')

const stepSchemas = {
  wait: z.strictObject({ wait: durationSchema }),
  wait_for: z.strictObject({ wait_for: z.enum(CONDITIONS), timeout: durationSchema }),
  fault: z.strictObject({ fault: z.enum([...FAULT_TYPES, 'default']), target }),
  heal: z.strictObject({ heal: z.union([z.literal('all'), target]) }),
  restart: z.strictObject({ restart: z.union([z.literal('all'), target]), rotate_token: z.boolean().default(false) }),
  rogue_orchestrator: z.strictObject({ rogue_orchestrator: z.strictObject({ window: durationSchema }) }),
  scale: z.strictObject({ scale: z.strictObject({ orchestrators: z.number().int().min(1).max(32) }) }),
  mark: z.strictObject({ mark: z.string().min(1) }),
} as const

export const STEP_KEYWORDS = Object.keys(stepSchemas) as (keyof typeof stepSchemas)[]

/** Issues are reported relative to the step. */
export type StepParse = { ok: true; step: Step } | { ok: false; issues: { path: (string | number)[]; message: string }[] }

export const parseStep = (raw: unknown): StepParse => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: [], message: `expected a step (a map with one of: ${STEP_KEYWORDS.join(', ')})` }] }
  }
  const keys = Object.keys(raw).filter((k) => (STEP_KEYWORDS as string[]).includes(k))
  if (keys.length !== 1) {
    return {
      ok: false,
      issues: [{ path: [], message: keys.length === 0 ? `unknown step; expected one of: ${STEP_KEYWORDS.join(', ')}` : `one step per list item, found ${keys.join(' and ')}` }],
    }
  }
  const kind = keys[0] as keyof typeof stepSchemas
  const r = stepSchemas[kind].safeParse(raw)
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })) }
  const d = r.data as Record<string, unknown>
  switch (kind) {
    case 'wait':
      return { ok: true, step: { kind, duration: d.wait as DurationSpec } }
    case 'wait_for':
      return { ok: true, step: { kind, condition: d.wait_for as Condition, timeout: d.timeout as DurationSpec } }
    case 'fault':
      return { ok: true, step: { kind, type: d.fault as FaultType | 'default', target: d.target as string } }
    case 'heal':
      return { ok: true, step: { kind, target: d.heal as string } }
    case 'restart':
      return { ok: true, step: { kind, target: d.restart as string, rotateToken: d.rotate_token as boolean } }
    case 'rogue_orchestrator':
      return { ok: true, step: { kind, window: (d.rogue_orchestrator as { window: DurationSpec }).window } }
    case 'scale':
      return { ok: true, step: { kind, orchestrators: (d.scale as { orchestrators: number }).orchestrators } }
    case 'mark':
      return { ok: true, step: { kind, name: d.mark as string } }
  }
}

/** One line for logs and events. */
export const describeStep = (s: Step): string => {
  switch (s.kind) {
    case 'wait':
      return `wait ${s.duration}`
    case 'wait_for':
      return `wait_for ${s.condition} (timeout ${s.timeout})`
    case 'fault':
      return `fault ${s.type} on ${s.target}`
    case 'heal':
      return `heal ${s.target}`
    case 'restart':
      return `restart ${s.target}${s.rotateToken ? ' with a new token' : ''}`
    case 'rogue_orchestrator':
      return `rogue orchestrator joins for ${s.window}`
    case 'scale':
      return `scale to ${s.orchestrators} orchestrators`
    case 'mark':
      return `mark ${s.name}`
  }
}
