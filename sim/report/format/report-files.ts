import type { SummaryRow } from '../../metrics/summary.ts'
import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parse } from 'csv-parse/sync'
import { NetsimError, type ErrorCode } from '../../core/errors.ts'
import { isEventKind, type SimEvent } from '../../core/events.ts'
// One declaration of each file's columns, for writing (csv.ts) and reading (here).
import { ERRORS_COLUMNS, EVENTS_COLUMNS, SAMPLES_COLUMNS, SUMMARY_COLUMNS } from './csv.ts'

/**
 * Readers for the files of a report folder (docs/reports.md, "The report folder"). They check the header and every
 * number, and fail with `file:line: what is wrong`: a report is data other tools wrote, so a
 * corrupt one is an E_CONFIG (data error), never a crash further down.
 */

/** One row of samples.csv, or of a baseline (same columns, several run ids pooled). */
export interface Sample {
  run_id: string
  scenario: string
  group: string
  node: string
  metric: string
  /** null: the metric applied to the node but it got no value (a baseline may say so; samples.csv never does) */
  value_ms: number | null
  /** a `transport` column, when the file has one (several transports pooled in one file) */
  transport?: string
}

/** One row of summary.csv: a SummaryRow with the run's context. Statistics are null where the cell is empty (count 0). */
export interface SummaryRecord extends SummaryRow {
  scenario: string
  transport: string
  profile: string
  backend: string
  nodes: number
  orchestrators: number
}

/** One row of errors.csv. */
export interface ErrorRecord {
  group: string
  node: string
  t_ms: number
  kind: string
  phase: string
  code: string
}

/** The parts of run.json the compare and HTML report read; everything optional (older runs). */
export interface RunInfo {
  run_id?: string
  scenario?: string
  passed?: boolean
  started_at?: string
  duration_ms?: number
  seed?: number
  config?: {
    transport?: string
    backend?: string
    profile?: string
    timeScale?: number
    fault?: string
    orchestrators?: { count?: number }
    /** where node membership lived (NATS): its bucket and replicas */
    membership?: { bucket?: string; replicas?: number }
    groups?: { name: string; count: number }[]
    scenario?: { name?: string; description?: string }
    /** the plan's assertions (metric, stat, bound): the recovery curves draw them as limits */
    assertions?: { metric: string; stat: string; group?: string; max?: number; min?: number; equals?: number; text: string }[]
  }
  fault_schedule?: Record<string, unknown>[]
  /** where the membership bucket was held each time a fault or step looked for its leader */
  membership_placements?: { t_ms: number; leader?: string; holders?: string[] }[]
  assertions?: { text: string; ok: boolean; actual: number | null }[]
  timeouts?: string[]
  harness?: { event_loop?: { window: string; duration_ms?: number; lag_max_ms?: number; lag_p99_ms?: number; cpu_ms?: number }[] }
  versions?: Record<string, string | null>
  host?: Record<string, unknown>
}

const shown = (file: string): string => {
  const r = relative(process.cwd(), file)
  return r === '' || r.startsWith('..') ? file : r
}

/** Parses a CSV with a header row into records, checking that `required` columns are present. */
const readCsv = (
  text: string,
  file: string,
  required: readonly string[],
  code: ErrorCode,
): { records: Record<string, string>[]; columns: string[] } => {
  let rows: string[][]
  try {
    rows = parse(text, { skip_empty_lines: true, relax_column_count: false }) as string[][]
  } catch (err) {
    throw new NetsimError(code, `${shown(file)}: malformed CSV: ${(err as Error).message}`, { cause: err, where: shown(file) })
  }
  const header = rows[0]
  if (header === undefined) throw new NetsimError(code, `${shown(file)}: empty file (no header row)`, { where: shown(file) })
  const lacking = required.filter((c) => !header.includes(c))
  if (lacking.length > 0) {
    throw new NetsimError(code, `${shown(file)}:1: header lacks column(s) ${lacking.join(', ')} (found: ${header.join(',')})`, {
      where: `${shown(file)}:1`,
    })
  }
  const records = rows.slice(1).map((r) => Object.fromEntries(header.map((h, k) => [h, r[k] ?? ''])))
  return { records, columns: header }
}

const numberAt = (cell: string | undefined, what: string, file: string, line: number, code: ErrorCode, allowEmpty: boolean): number | null => {
  if (cell === undefined || cell === '') {
    if (allowEmpty) return null
    throw new NetsimError(code, `${shown(file)}:${line}: ${what} is empty`, { where: `${shown(file)}:${line}` })
  }
  const x = Number(cell)
  if (!Number.isFinite(x))
    throw new NetsimError(code, `${shown(file)}:${line}: ${what} ${JSON.stringify(cell)} is not a number`, { where: `${shown(file)}:${line}` })
  return x
}

/**
 * samples.csv or a baseline. An empty `value_ms` is a missing value (a baseline may record
 * them; a run's samples.csv does not, its summary.csv counts them).
 */
export const parseSamplesCsv = (text: string, file: string, code: ErrorCode = 'E_CONFIG'): Sample[] => {
  const { records, columns } = readCsv(text, file, SAMPLES_COLUMNS, code)
  const hasTransport = columns.includes('transport')
  return records.map((r, k) => {
    const line = k + 2
    if ((r['metric'] ?? '') === '') throw new NetsimError(code, `${shown(file)}:${line}: metric is empty`, { where: `${shown(file)}:${line}` })
    const s: Sample = {
      run_id: r['run_id'] ?? '',
      scenario: r['scenario'] ?? '',
      group: r['group'] ?? '',
      node: r['node'] ?? '',
      metric: r['metric'] ?? '',
      value_ms: numberAt(r['value_ms'], 'value_ms', file, line, code, true),
    }
    if (hasTransport) s.transport = r['transport'] ?? ''
    return s
  })
}

export const parseSummaryCsv = (text: string, file: string, code: ErrorCode = 'E_CONFIG'): SummaryRecord[] => {
  const { records } = readCsv(text, file, SUMMARY_COLUMNS, code)
  return records.map((r, k) => {
    const line = k + 2
    const n = (c: string, allowEmpty: boolean) => numberAt(r[c], c, file, line, code, allowEmpty)
    return {
      scenario: r['scenario'] ?? '',
      transport: r['transport'] ?? '',
      profile: r['profile'] ?? '',
      backend: r['backend'] ?? '',
      group: r['group'] ?? '',
      nodes: n('nodes', false) as number,
      orchestrators: n('orchestrators', false) as number,
      metric: r['metric'] ?? '',
      count: n('count', false) as number,
      missing: n('missing', false) as number,
      min: n('min', true),
      p50: n('p50', true),
      p90: n('p90', true),
      p95: n('p95', true),
      p99: n('p99', true),
      max: n('max', true),
      mean: n('mean', true),
    }
  })
}

/**
 * events.csv back into events. The file is netsim's own output: each row's kind is checked, its
 * `data` is taken as written (a row whose data does not parse is an error with its line).
 */
export const parseEventsCsv = (text: string, file: string, code: ErrorCode = 'E_CONFIG'): SimEvent[] => {
  const { records } = readCsv(text, file, EVENTS_COLUMNS, code)
  return records.map((r, k) => {
    const line = k + 2
    const kind = r['kind'] ?? ''
    if (!isEventKind(kind)) throw new NetsimError(code, `${shown(file)}:${line}: unknown event kind "${kind}"`)
    const fields: Record<string, unknown> = { t: numberAt(r['t_ms'], 't_ms', file, line, code, false) as number, kind }
    if (r['node']) fields['node'] = r['node']
    if (r['orchestrator']) fields['orch'] = r['orchestrator']
    const data = r['data'] ?? ''
    if (data !== '') {
      try {
        fields['data'] = JSON.parse(data)
      } catch {
        throw new NetsimError(code, `${shown(file)}:${line}: data is not JSON`)
      }
    }
    return fields as SimEvent
  })
}

export const parseErrorsCsv = (text: string, file: string, code: ErrorCode = 'E_CONFIG'): ErrorRecord[] => {
  const { records } = readCsv(
    text,
    file,
    ERRORS_COLUMNS.filter((c) => c !== 'run_id' && c !== 'scenario'),
    code,
  )
  return records.map((r, k) => ({
    group: r['group'] ?? '',
    node: r['node'] ?? '',
    t_ms: numberAt(r['t_ms'], 't_ms', file, k + 2, code, false) as number,
    kind: r['kind'] ?? '',
    phase: r['phase'] ?? '',
    code: r['code'] ?? '',
  }))
}

const readText = (file: string, code: ErrorCode): string => {
  try {
    return readFileSync(file, 'utf8')
  } catch (err) {
    throw new NetsimError(code, `cannot read ${shown(file)}: ${(err as Error).message}`, { cause: err })
  }
}

/** A report folder's optional file, parsed, or null when the folder lacks it. */
const optional = <T>(dir: string, name: string, parser: (text: string, file: string) => T): T | null => {
  const file = join(dir, name)
  return existsSync(file) ? parser(readText(file, 'E_CONFIG'), file) : null
}

export const readSamples = (dir: string): Sample[] | null => optional(dir, 'samples.csv', parseSamplesCsv)
export const readSummary = (dir: string): SummaryRecord[] | null => optional(dir, 'summary.csv', parseSummaryCsv)
export const readEvents = (dir: string): SimEvent[] | null => optional(dir, 'events.csv', parseEventsCsv)
export const readErrors = (dir: string): ErrorRecord[] | null => optional(dir, 'errors.csv', parseErrorsCsv)

export const readRunInfo = (dir: string): RunInfo | null =>
  optional(dir, 'run.json', (text, file) => {
    try {
      const v: unknown = JSON.parse(text)
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not a JSON object')
      return v as RunInfo
    } catch (err) {
      throw new NetsimError('E_CONFIG', `${shown(file)}: corrupt run.json: ${(err as Error).message}`, { cause: err, where: shown(file) })
    }
  })

export { shown as displayPath }
