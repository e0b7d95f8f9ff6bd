import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { NetsimError } from '../../core/errors.ts'
import type { CompareSettings } from '../../config/compare-settings.ts'

/** The verdict of one (group, metric), and its row of compare.csv (sim/compare/compare-sides.ts makes them). */
export type Verdict = 'regressed' | 'improved' | 'same'

/** One (group, metric) of a compare: A is the reference (before), B the candidate (after). */
export interface CompareRow {
  metric: string
  group: string
  a_count: number
  b_count: number
  /** null: unknown (a baseline that records no missing values) */
  a_missing: number | null
  b_missing: number | null
  a_p50: number | null
  b_p50: number | null
  a_p95: number | null
  b_p95: number | null
  a_p99: number | null
  b_p99: number | null
  /** B − A; positive is slower */
  p50_diff_ms: number | null
  p99_diff_ms: number | null
  /** two-sided rank-sum test; null when a side has no values */
  p_value: number | null
  verdict: Verdict
  /** why, in a few words (console and HTML; not in compare.csv) */
  reason: string
  /** runs pooled on each side */
  a_runs: number
  b_runs: number
  /** standard deviation of p50 / p95 across A's runs (null: fewer than two runs) */
  spread_p50_ms: number | null
  spread_p95_ms: number | null
  /** the gate's minimum detectable change of B's p50 / p95 against A (sim/compare/tolerance.ts) */
  mde_p50_ms: number | null
  mde_p95_ms: number | null
}

/** compare.json: what was compared with what, and how. */
export interface CompareMeta {
  a: { path: string; kind: 'run' | 'baseline'; label: string }
  b: { path: string; kind: 'run' | 'baseline'; label: string }
  scenario: string
  settings: CompareSettings
  notes: string[]
  regressed: number
  created_at: string
}

/** compare.csv's columns, in order (stable; one header row). */
export const COMPARE_COLUMNS = [
  'metric',
  'group',
  'a_count',
  'b_count',
  'a_missing',
  'b_missing',
  'a_p50',
  'b_p50',
  'a_p95',
  'b_p95',
  'a_p99',
  'b_p99',
  'p50_diff_ms',
  'p99_diff_ms',
  'p_value',
  'verdict',
  'a_runs',
  'b_runs',
  'spread_p50_ms',
  'spread_p95_ms',
  'mde_p50_ms',
  'mde_p95_ms',
] as const

const cell = (x: number | string | null): string => (x === null ? '' : String(x))

/** Times in ms (µs resolution), empty cells for unknown values (a baseline's missing) or no values. */
export const compareCsv = (rows: readonly CompareRow[]): string =>
  stringify([[...COMPARE_COLUMNS], ...rows.map((r) => COMPARE_COLUMNS.map((c) => cell(r[c])))])

/** compare.csv back into rows (`reason` is not stored: empty). Throws E_CONFIG on a bad file. */
export const parseCompareCsv = (text: string, file = 'compare.csv'): CompareRow[] => {
  let rows: string[][]
  try {
    rows = parse(text, { skip_empty_lines: true }) as string[][]
  } catch (err) {
    throw new NetsimError('E_CONFIG', `${file}: malformed CSV: ${(err as Error).message}`, { cause: err })
  }
  const header = rows[0] ?? []
  // the first 16 columns have not changed since compare.csv began; the gate's columns came later
  const core = COMPARE_COLUMNS.slice(0, COMPARE_COLUMNS.indexOf('verdict') + 1)
  if (header.slice(0, core.length).join(',') !== core.join(','))
    throw new NetsimError('E_CONFIG', `${file}:1: not a compare.csv header: ${header.join(',')}`)
  const n = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s))
  return rows.slice(1).map((r) => {
    const get = (c: (typeof COMPARE_COLUMNS)[number]) => (header.includes(c) ? r[header.indexOf(c)] : undefined)
    const verdict = get('verdict')
    return {
      metric: get('metric') ?? '',
      group: get('group') ?? '',
      a_count: n(get('a_count')) ?? 0,
      b_count: n(get('b_count')) ?? 0,
      a_missing: n(get('a_missing')),
      b_missing: n(get('b_missing')),
      a_p50: n(get('a_p50')),
      b_p50: n(get('b_p50')),
      a_p95: n(get('a_p95')),
      b_p95: n(get('b_p95')),
      a_p99: n(get('a_p99')),
      b_p99: n(get('b_p99')),
      p50_diff_ms: n(get('p50_diff_ms')),
      p99_diff_ms: n(get('p99_diff_ms')),
      p_value: n(get('p_value')),
      verdict: verdict === 'regressed' || verdict === 'improved' ? verdict : 'same',
      reason: '',
      a_runs: n(get('a_runs')) ?? 0,
      b_runs: n(get('b_runs')) ?? 0,
      spread_p50_ms: n(get('spread_p50_ms')),
      spread_p95_ms: n(get('spread_p95_ms')),
      mde_p50_ms: n(get('mde_p50_ms')),
      mde_p95_ms: n(get('mde_p95_ms')),
    }
  })
}
