import { existsSync, readFileSync, statSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import {
  displayPath,
  parseSamplesCsv,
  readRunInfo,
  readSamples,
  readSummary,
  type RunInfo,
  type Sample,
  type SummaryRecord,
} from '../report/format/report-files.ts'

/**
 * One side of a compare: a run's report folder, or a baseline CSV (samples.csv's columns,
 * possibly several runs pooled: `reports/baselines/<scenario>.csv`).
 */
export interface CompareSide {
  /** absolute path as given */
  path: string
  kind: 'run' | 'baseline'
  /** the report folder (null for a baseline) */
  dir: string | null
  /** for tables: the run id, or the baseline's file name and how many runs it pools */
  label: string
  scenario: string
  runIds: string[]
  samples: Sample[]
  /** summary.csv rows (null for a baseline: its missing counts come from empty value_ms cells, if any) */
  summary: SummaryRecord[] | null
  run: RunInfo | null
}

const baselineHint = (scenario: string) => `create it with \`npm run netsim -- baseline update ${scenario}\``

const scenarioOfBaselinePath = (file: string) => basename(file, extname(file)) || '<scenario>'

const distinct = (xs: readonly string[]): string[] => [...new Set(xs)]

const loadBaseline = (file: string): CompareSide => {
  const scenarioGuess = scenarioOfBaselinePath(file)
  if (!existsSync(file)) throw new NetsimError('E_CONFIG', `no baseline at ${displayPath(file)}: ${baselineHint(scenarioGuess)}`)
  let samples: Sample[]
  try {
    samples = parseSamplesCsv(readFileSync(file, 'utf8'), file)
  } catch (err) {
    const what = err instanceof NetsimError ? (err as Error).message : `${displayPath(file)}: ${(err as Error).message}`
    throw new NetsimError('E_CONFIG', `corrupt baseline: ${what}; re-create it with \`npm run netsim -- baseline update ${scenarioGuess}\``, {
      cause: err,
      where: displayPath(file),
    })
  }
  if (samples.length === 0) throw new NetsimError('E_CONFIG', `baseline ${displayPath(file)} holds no samples: ${baselineHint(scenarioGuess)}`)
  const scenarios = distinct(samples.map((s) => s.scenario))
  if (scenarios.length !== 1) {
    throw new NetsimError(
      'E_CONFIG',
      `corrupt baseline ${displayPath(file)}: it mixes scenarios ${scenarios.join(', ')}; re-create it with \`npm run netsim -- baseline update ${scenarioGuess}\``,
    )
  }
  const runIds = distinct(samples.map((s) => s.run_id))
  return {
    path: file,
    kind: 'baseline',
    dir: null,
    label: `${basename(file)} (${runIds.length} run${runIds.length === 1 ? '' : 's'})`,
    scenario: scenarios[0] as string,
    runIds,
    samples,
    summary: null,
    run: null,
  }
}

const loadRunDir = (dir: string): CompareSide => {
  const samples = readSamples(dir)
  if (samples === null) throw new NetsimError('E_USAGE', `${displayPath(dir)} is not a report folder: it has no samples.csv`)
  const summary = readSummary(dir)
  const run = readRunInfo(dir)
  const scenario = run?.scenario ?? summary?.[0]?.scenario ?? samples[0]?.scenario
  if (scenario === undefined || scenario === '')
    throw new NetsimError('E_CONFIG', `${displayPath(dir)}: cannot tell its scenario (no run.json, and summary.csv and samples.csv are empty)`)
  const runIds = distinct(samples.map((s) => s.run_id))
  if (runIds.length === 0 && run?.run_id) runIds.push(run.run_id)
  return {
    path: dir,
    kind: 'run',
    dir,
    label: runIds.length === 1 ? (runIds[0] as string) : (run?.run_id ?? basename(dir)),
    scenario,
    runIds,
    samples,
    summary,
    run,
  }
}

/** A report folder or a baseline CSV file. */
export const loadSide = (path: string): CompareSide => {
  const p = resolve(path)
  if (existsSync(p) && statSync(p).isDirectory()) return loadRunDir(p)
  if (extname(p).toLowerCase() === '.csv') return loadBaseline(p)
  if (!existsSync(p)) throw new NetsimError('E_USAGE', `no report folder or baseline at ${displayPath(p)}`)
  throw new NetsimError('E_USAGE', `${displayPath(p)} is neither a report folder nor a baseline .csv file`)
}

/**
 * Several report folders of one scenario as one side (a regress run of several runs): their
 * samples and run ids together, their summaries' rows kept (missing values are summed per
 * group and metric when judged). E_USAGE when they are not all of one scenario.
 */
export const loadRuns = (dirs: readonly string[]): CompareSide => {
  if (dirs.length === 0) throw new NetsimError('E_USAGE', 'no report folder to compare')
  const sides = dirs.map((d) => loadRunDir(resolve(d)))
  const first = sides[0] as CompareSide
  if (sides.length === 1) return first
  const other = sides.find((s) => s.scenario !== first.scenario)
  if (other)
    throw new NetsimError(
      'E_USAGE',
      `cannot pool runs of different scenarios: ${first.label} is "${first.scenario}", ${other.label} is "${other.scenario}"`,
    )
  return {
    ...first,
    label: `${sides.length} runs (${sides.map((s) => s.label).join(', ')})`,
    runIds: distinct(sides.flatMap((s) => s.runIds)),
    samples: sides.flatMap((s) => s.samples),
    summary: sides.flatMap((s) => s.summary ?? []),
  }
}
