import { resolve, join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { writeFileAtomic } from '../platform/atomic-dir.ts'
import { SAMPLES_COLUMNS } from '../report/format/csv.ts'
import type { MetricValue } from '../metrics/index.ts'

/** Where a scenario's baseline lives: committed, small, the samples of a few pooled runs. */
export const baselinePath = (scenario: string, reportsDir = resolve('reports')): string => join(reportsDir, 'baselines', `${scenario}.csv`)

/**
 * A baseline is samples.csv of several runs pooled (one run_id each), with a row of empty
 * value_ms for every missing value, so a compare can see `missing` grow.
 */
export const writeBaseline = (file: string, scenario: string, runs: { runId: string; values: MetricValue[] }[]): void => {
  const rows = runs.flatMap((r) =>
    r.values.map((v) => [r.runId, scenario, v.group, v.node, v.metric, v.value_ms === null ? '' : v.value_ms.toFixed(3)]),
  )
  writeFileAtomic(file, stringify([[...SAMPLES_COLUMNS], ...rows]))
}
