import type { PlanAssertion } from '../plan/run-plan.ts'
import type { SummaryRow } from './summary.ts'

export interface AssertionResult {
  text: string
  ok: boolean
  /** the statistic's value; null when the metric has no values */
  actual: number | null
}

/**
 * Checks a scenario's assertions against the summary. A (group, metric) with no row had no
 * node it applied to: count and missing are 0, and every other statistic is absent, which fails
 * a bound (a missing value is a finding, not a zero).
 */
export const checkAssertions = (assertions: PlanAssertion[], rows: SummaryRow[]): AssertionResult[] =>
  assertions.map((a) => {
    const row = rows.find((r) => r.group === a.group && r.metric === a.metric)
    const actual = row ? row[a.stat] : a.stat === 'count' || a.stat === 'missing' ? 0 : null
    let ok = actual !== null
    if (actual !== null) {
      if (a.max !== undefined && actual > a.max) ok = false
      if (a.min !== undefined && actual < a.min) ok = false
      if (a.equals !== undefined && actual !== a.equals) ok = false
    }
    return { text: a.text, ok, actual }
  })
