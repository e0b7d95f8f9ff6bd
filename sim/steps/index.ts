import { NetsimError } from '../core/errors.ts'
import { discover } from '../platform/discover.ts'
import type { StepKind } from './step-kind.ts'

export type { StepKind, StepContext, ResolveContext, Path } from './step-kind.ts'
export { CONDITIONS, type Condition } from './conditions.ts'

/** This folder's files that are not step kinds. */
const HELPERS = ['index.ts', 'step-kind.ts', 'conditions.ts', 'chaos-schedule.ts', 'fault-options.ts']

const isStepKind = (v: unknown): v is StepKind =>
  typeof v === 'object' && v !== null && typeof (v as StepKind).keyword === 'string' && typeof (v as StepKind).run === 'function'

/** The order keywords are listed in (docs, errors): the timeline's usual vocabulary first; new kinds follow by name. */
const ORDER = ['wait', 'wait_for', 'fault', 'chaos', 'heal', 'restart', 'restart_nodes', 'rogue_orchestrator', 'ask_for_bid', 'scale', 'mark', 'jobs']
const rank = (k: string): number => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length)

/** Every step kind, by keyword: each file of this folder exports one (wait.ts, fault.ts...). */
const found = (await discover(new URL('./', import.meta.url), HELPERS, isStepKind)).sort(
  (a, b) => rank(a.keyword) - rank(b.keyword) || a.keyword.localeCompare(b.keyword),
)
const byKeyword = new Map<string, StepKind>()
for (const k of found) {
  if (byKeyword.has(k.keyword)) throw new Error(`two step kinds use the keyword ${k.keyword}`)
  byKeyword.set(k.keyword, k as unknown as StepKind)
}

export const STEPS: ReadonlyMap<string, StepKind> = byKeyword
export const STEP_KEYWORDS: readonly string[] = [...byKeyword.keys()]

/** The step kind of a resolved plan step (its `kind` is its keyword). */
export const stepKind = (kind: string): StepKind => {
  const k = byKeyword.get(kind)
  if (k === undefined) throw new NetsimError('E_CONFIG', `unknown step kind "${kind}"; known: ${STEP_KEYWORDS.join(', ')}`)
  return k
}

/** A step as written, validated: `kind` is its keyword, the rest its options (durations unresolved). */
export type ParsedStep = { kind: string } & Record<string, unknown>

/** Issues are reported relative to the step. */
export type StepParse = { ok: true; step: ParsedStep } | { ok: false; issues: { path: (string | number)[]; message: string }[] }

/**
 * One YAML list item of a timeline: a map with exactly one step keyword (the registry's), its
 * value and options validated by that kind's schema.
 */
export const parseStep = (raw: unknown): StepParse => {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, issues: [{ path: [], message: `expected a step (a map with one of: ${STEP_KEYWORDS.join(', ')})` }] }
  }
  const keys = Object.keys(raw).filter((k) => STEPS.has(k))
  if (keys.length !== 1) {
    const message =
      keys.length === 0 ? `unknown step; expected one of: ${STEP_KEYWORDS.join(', ')}` : `one step per list item, found ${keys.join(' and ')}`
    return { ok: false, issues: [{ path: [], message }] }
  }
  const kind = STEPS.get(keys[0] as string) as StepKind
  const r = kind.schema.safeParse(raw)
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message })) }
  return { ok: true, step: r.data as ParsedStep }
}

/** One line for logs, as written. */
export const describeStep = (s: ParsedStep): string => (STEPS.get(s.kind) as StepKind).describe(s)
