import { z } from 'zod'
import { NetsimError } from '../core/errors.ts'

/**
 * The `compare:` settings of harness.config.yaml: how sure and how large a difference must be
 * before `compare` (and `regress`) call a metric regressed or improved. The rule itself is in
 * sim/compare/tolerance.ts and docs/reports.md, "How the gate decides".
 *
 * ```yaml
 * compare:
 *   alpha: 0.01                # significance of the tests on the samples (rank-sum for p50, tail for p95)
 *   false_alarm: 0.001         # per metric and percentile: how often run-to-run spread alone may exceed the allowance
 *   default:                   # floors of every metric's allowance
 *     relative: 0.1            #   B must be worse than A by more than 10 % of A ...
 *     absolute_ms: 1           #   ... and by more than 1 ms
 *   metrics:                   # per-metric overrides; an omitted field keeps the default's
 *     closed_ms: { relative: 1.5 }
 *   percentiles: [p50, p95]    # the statistics judged (any one counts)
 *   groups: [all]              # which groups to compare; [] or ['*']: every group of both
 *   count_metrics: [closed_ms, flap_ms, orch_detect_ms, leaked_registration_ms, rogue_seen_ms]
 * ```
 *
 * Every key is optional; the values above are the defaults. `count_metrics` are metrics whose
 * rows exist only when something went wrong (a node lost, flapping, leaked): their number of
 * values per run is the finding, so one present in only one side is compared, not an error.
 */
export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const
export type Percentile = (typeof PERCENTILES)[number]

export const DEFAULT_COUNT_METRICS = ['closed_ms', 'flap_ms', 'orch_detect_ms', 'leaked_registration_ms', 'rogue_seen_ms'] as const

const relative = z.number().min(0, 'must be >= 0 (a fraction: 0.25 is 25 %)')
const absoluteMs = z.number().min(0, 'must be >= 0 (milliseconds)')

export const MetricToleranceSchema = z.strictObject({
  relative: relative.optional(),
  absolute_ms: absoluteMs.optional(),
})

export const CompareSettingsSchema = z.strictObject({
  alpha: z.number().gt(0, 'must be > 0').lt(1, 'must be < 1').default(0.01),
  false_alarm: z.number().gt(0, 'must be > 0').lt(0.5, 'must be < 0.5').default(0.001),
  default: z
    .strictObject({
      relative: relative.default(0.1),
      absolute_ms: absoluteMs.default(1),
    })
    .default({ relative: 0.1, absolute_ms: 1 }),
  metrics: z.record(z.string(), MetricToleranceSchema).default({}),
  percentiles: z.array(z.enum(PERCENTILES)).min(1).default(['p50', 'p95']),
  groups: z.array(z.string().min(1)).default(['all']),
  count_metrics: z.array(z.string()).default([...DEFAULT_COUNT_METRICS]),
})

/** As written in the config file (everything optional). */
export type CompareSettingsInput = z.input<typeof CompareSettingsSchema>
/** With every default filled in. */
export type CompareSettings = z.output<typeof CompareSettingsSchema>

export interface Tolerance {
  /** fraction of A's value */
  relative: number
  /** milliseconds */
  absolute_ms: number
}

export const DEFAULT_COMPARE_SETTINGS: CompareSettings = CompareSettingsSchema.parse({})

/**
 * Validates settings given in code (the CLI validates the YAML itself, with positions).
 * Throws E_CONFIG naming the field.
 */
export const parseCompareSettings = (input: unknown = {}): CompareSettings => {
  const r = CompareSettingsSchema.safeParse(input ?? {})
  if (r.success) return r.data
  const lines = r.error.issues.map((i) => `compare.${i.path.join('.')}: ${i.message}`)
  throw new NetsimError('E_CONFIG', lines.length === 1 ? (lines[0] as string) : `invalid compare settings:\n  ${lines.join('\n  ')}`)
}

/** The tolerance of one metric: its override, field by field, over the default. */
export const toleranceFor = (settings: CompareSettings, metric: string): Tolerance => {
  const o = settings.metrics[metric]
  return { relative: o?.relative ?? settings.default.relative, absolute_ms: o?.absolute_ms ?? settings.default.absolute_ms }
}
