import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { readRunInfo, readSummary } from '../format/report-files.ts'

/**
 * What reports/index.html lists, read from the reports folder as it is on disk: every run
 * folder (`<scenario>/<run-id>/` with a run.json; `--repeat` and transport folders too) and
 * every regress run (`regress/<id>/regress.csv`). A folder that cannot be read is listed as
 * unreadable, never a reason to fail: the index must not stop a run.
 */
export interface RunEntry {
  scenario: string
  /** the folder's name (the run id) */
  id: string
  /** the folder, relative to the reports folder (links) */
  path: string
  kind: 'run' | 'repeat' | 'transports'
  started: string | null
  passed: boolean | null
  nodes: number | null
  durationMs: number | null
  /** up to two key metrics of the `all` group: name, p50, p99 */
  key: { metric: string; p50: number | null; p99: number | null }[]
  hasReport: boolean
  hasCompare: boolean
  error?: string
}

export interface RegressRow {
  scenario: string
  group: string
  metric: string
  a_p50: number | null
  b_p50: number | null
  a_p95: number | null
  b_p95: number | null
  a_p99: number | null
  b_p99: number | null
  b_count: number | null
  verdict: string
  /** the gate's allowance of the mean p50 / p95 (null: not recorded, a regress run before the allowance) */
  mde_p50_ms: number | null
  mde_p95_ms: number | null
}

export interface RegressEntry {
  id: string
  path: string
  rows: RegressRow[]
  /** the compare settings the run used (regress.json), when recorded */
  settings: unknown
  error?: string
}

/** Folders of the reports folder that are not scenarios. */
const NOT_SCENARIOS = new Set(['regress', 'baselines', 'bench', 'screenshots'])

/** Key metrics, first found first: what a reader of a failover, then a discovery run, looks at. */
export const KEY_METRICS = [
  'reconnect_ms',
  'resume_ms',
  'heal_reconnect_ms',
  'detect_ms',
  'visible_all_ms',
  'join_pool_ms',
  'connect_ms',
  'reject_ms',
]

const dirs = (p: string): string[] => {
  try {
    return readdirSync(p).filter((n) => !n.startsWith('.') && statSync(join(p, n)).isDirectory())
  } catch {
    return []
  }
}

const readRun = (root: string, scenario: string, id: string): RunEntry | null => {
  const dir = join(root, scenario, id)
  const kind = existsSync(join(dir, 'run.json'))
    ? 'run'
    : existsSync(join(dir, 'runs.json'))
      ? 'repeat'
      : existsSync(join(dir, 'transports.json'))
        ? 'transports'
        : null
  if (kind === null) return null
  const entry: RunEntry = {
    scenario,
    id,
    path: `${scenario}/${id}`,
    kind,
    started: null,
    passed: null,
    nodes: null,
    durationMs: null,
    key: [],
    hasReport: existsSync(join(dir, 'report.html')),
    hasCompare: existsSync(join(dir, 'compare.html')),
  }
  try {
    if (kind === 'run') {
      const run = readRunInfo(dir)
      entry.started = run?.started_at ?? null
      entry.passed = run?.passed ?? null
      entry.durationMs = run?.duration_ms ?? null
    } else {
      const j = JSON.parse(readFileSync(join(dir, kind === 'repeat' ? 'runs.json' : 'transports.json'), 'utf8')) as {
        passed?: boolean
        runs?: { passed: boolean }[]
      }
      entry.passed = j.passed ?? (j.runs ? j.runs.every((r) => r.passed) : null)
    }
    const summary = readSummary(dir)
    const all = summary?.filter((r) => r.group === 'all') ?? []
    entry.nodes = all[0]?.nodes ?? null
    entry.key = KEY_METRICS.flatMap((m) => {
      const r = all.find((x) => x.metric === m && x.count > 0)
      return r ? [{ metric: m, p50: r.p50, p99: r.p99 }] : []
    }).slice(0, 2)
  } catch (err) {
    entry.error = (err as Error).message
  }
  return entry
}

/** Every run folder, newest first (run ids start with their start time). */
export const scanRuns = (root: string): RunEntry[] =>
  dirs(root)
    .filter((s) => !NOT_SCENARIOS.has(s))
    .flatMap((scenario) => dirs(join(root, scenario)).flatMap((id) => readRun(root, scenario, id) ?? []))
    .sort((a, b) => (b.started ?? b.id).localeCompare(a.started ?? a.id) || b.id.localeCompare(a.id))

const n = (s: string | undefined): number | null => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? null : Number(s))

/** Every regress run, oldest first (the trend reads left to right). */
export const scanRegress = (root: string): RegressEntry[] =>
  dirs(join(root, 'regress'))
    .sort()
    .flatMap((id): RegressEntry[] => {
      const dir = join(root, 'regress', id)
      const file = join(dir, 'regress.csv')
      if (!existsSync(file)) return []
      try {
        const records = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[]
        const rows = records.map((r) => ({
          scenario: r['scenario'] ?? '',
          group: r['group'] ?? '',
          metric: r['metric'] ?? '',
          a_p50: n(r['a_p50']),
          b_p50: n(r['b_p50']),
          a_p95: n(r['a_p95']),
          b_p95: n(r['b_p95']),
          a_p99: n(r['a_p99']),
          b_p99: n(r['b_p99']),
          b_count: n(r['b_count']),
          verdict: r['verdict'] ?? '',
          mde_p50_ms: n(r['mde_p50_ms']),
          mde_p95_ms: n(r['mde_p95_ms']),
        }))
        const meta = join(dir, 'regress.json')
        const settings = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as { compare?: unknown }).compare : undefined
        return [{ id, path: `regress/${id}`, rows, settings }]
      } catch (err) {
        return [{ id, path: `regress/${id}`, rows: [], settings: undefined, error: (err as Error).message }]
      }
    })
