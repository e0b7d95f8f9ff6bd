import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { summarize } from '../../../sim/metrics/summary.ts'
import type { MetricValue } from '../../../sim/metrics/metric-value.ts'
import { samplesCsv, summaryCsv } from '../../../sim/report/format/csv.ts'

/** A metric's values for a synthetic run: numbers are values, null a missing value. */
export type Values = Record<string, (number | null)[]>

export interface RunSpec {
  scenario?: string
  runId?: string
  group?: string
  values: Values
  /** more files to write, by name */
  extra?: Record<string, string>
}

/** The values of a synthetic run as the run reports them: node n<i> gets the i-th value. */
export const metricValues = (values: Values, group = 'compute'): MetricValue[] =>
  Object.entries(values).flatMap(([metric, xs]) => xs.map((v, i) => ({ node: `n${i}`, group, metric, value_ms: v })))

/** Writes a report folder the way the run does (same CSV writers), in `parent/<runId>`; returns its path. */
export const writeRun = (parent: string, spec: RunSpec): string => {
  const scenario = spec.scenario ?? 'failover'
  const runId = spec.runId ?? 'run-1'
  const group = spec.group ?? 'compute'
  const dir = join(parent, runId)
  mkdirSync(dir, { recursive: true })
  const values = metricValues(spec.values, group)
  const nodes = Math.max(0, ...Object.values(spec.values).map((xs) => xs.length))
  writeFileSync(join(dir, 'samples.csv'), samplesCsv(runId, scenario, values))
  writeFileSync(
    join(dir, 'summary.csv'),
    summaryCsv(
      { scenario, transport: 'nats', profile: 'v1.5', backend: 'process', orchestrators: 3, nodes: { [group]: nodes, all: nodes } },
      summarize(values, [group]),
    ),
  )
  writeFileSync(
    join(dir, 'run.json'),
    JSON.stringify({ run_id: runId, scenario, passed: true, seed: 1, config: { transport: 'nats', profile: 'v1.5', timeScale: 0.1, fault: 'kill' } }),
  )
  for (const [name, text] of Object.entries(spec.extra ?? {})) writeFileSync(join(dir, name), text)
  return dir
}

/** A baseline CSV (samples.csv's columns) pooling the given runs. */
export const baselineCsv = (scenario: string, runs: Values[]): string =>
  [
    'run_id,scenario,group,node,metric,value_ms',
    ...runs.flatMap((vals, r) =>
      Object.entries(vals).flatMap(([m, xs]) => xs.map((v, i) => `base-${r},${scenario},compute,n${i},${m},${v === null ? '' : v.toFixed(3)}`)),
    ),
  ].join('\n') + '\n'

/** `n` values spread evenly around `center` (± spread/2), deterministic. */
export const around = (center: number, spread: number, n = 40): number[] =>
  Array.from({ length: n }, (_, i) => center - spread / 2 + (spread * ((i * 7) % n)) / (n - 1))
