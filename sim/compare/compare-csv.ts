import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import { NetsimError } from '../core/errors.ts'
import type { CompareRow } from './compare-sides.ts'

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
  if (header.join(',') !== COMPARE_COLUMNS.join(',')) throw new NetsimError('E_CONFIG', `${file}:1: not a compare.csv header: ${header.join(',')}`)
  const n = (s: string | undefined): number | null => (s === undefined || s === '' ? null : Number(s))
  return rows.slice(1).map((r) => {
    const get = (c: (typeof COMPARE_COLUMNS)[number]) => r[COMPARE_COLUMNS.indexOf(c)]
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
    }
  })
}
