import { basename, dirname, join, resolve } from 'node:path'
import { existsSync, readFileSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import { writeFileAtomic } from '../platform/atomic-dir.ts'
import { SAMPLES_COLUMNS } from '../report/format/csv.ts'
import type { MetricValue } from '../metrics/index.ts'

/** Where a scenario's baseline lives: committed, small, the samples of several pooled runs. */
export const baselinePath = (scenario: string, reportsDir = resolve('reports')): string => join(reportsDir, 'baselines', `${scenario}.csv`)

/** What a baseline was recorded with, beside it as `<scenario>.json`: its runs' seeds and ids. */
export interface BaselineInfo {
  scenario: string
  recorded_at: string
  /** the regression entry's settings it was recorded with (nodes, time scale...) */
  entry: Record<string, unknown>
  runs: { run_id: string; seed: number }[]
  versions: Record<string, string | null>
}

export const baselineInfoPath = (file: string): string => join(dirname(file), `${basename(file, '.csv')}.json`)

/**
 * A baseline is samples.csv of several runs pooled (one run_id each), with a row of empty
 * value_ms for every missing value, so a compare can see `missing` grow: a baseline with no
 * empty cell had no missing value.
 */
export const writeBaseline = (file: string, scenario: string, runs: { runId: string; values: MetricValue[] }[], info?: BaselineInfo): void => {
  const rows = runs.flatMap((r) =>
    r.values.map((v) => [r.runId, scenario, v.group, v.node, v.metric, v.value_ms === null ? '' : v.value_ms.toFixed(3)]),
  )
  writeFileAtomic(file, stringify([[...SAMPLES_COLUMNS], ...rows]))
  if (info !== undefined) writeFileAtomic(baselineInfoPath(file), JSON.stringify(info, null, 2) + '\n')
}

/** The seeds a baseline's runs used (empty for a baseline recorded before they were kept). */
export const baselineSeeds = (file: string): number[] => {
  const p = baselineInfoPath(file)
  if (!existsSync(p)) return []
  try {
    return (JSON.parse(readFileSync(p, 'utf8')) as BaselineInfo).runs.map((r) => r.seed)
  } catch {
    return []
  }
}
