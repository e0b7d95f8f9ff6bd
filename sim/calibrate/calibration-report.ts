import { stringify } from 'csv-stringify/sync'
import { join } from 'node:path'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { newRunId } from '../platform/run-dir.ts'
import { findNatsServerOrNull } from '../platform/nats-server-binary.ts'
import { hostInfo, versions } from '../report/versions.ts'
import type { CalibrationRow } from './calibration-stats.ts'
import type { CalibrationOptions, CalibrationResult } from './run-calibration.ts'

/**
 * A calibration's output (docs/calibration.md): the table on the console, and
 * `<reports>/calibrate/<id>/` written whole or not at all:
 * - calibration.csv: one row per fault, metric and statistic: each side's median over the
 *   repeats and its range, simulated / nats.go, the difference, the verdict;
 * - runs.csv: every run's statistics, its report folder and verdict;
 * - calibration.json: the settings, the versions (nats.go and Go of the reference client,
 *   nats.js, nats-server, Node) and the host.
 */
export const CALIBRATION_COLUMNS = [
  'fault',
  'metric',
  'source',
  'stat',
  'sim_median_ms',
  'sim_min_ms',
  'sim_max_ms',
  'go_median_ms',
  'go_min_ms',
  'go_max_ms',
  'ratio',
  'diff_ms',
  'verdict',
  'checked',
  'runs_per_side',
] as const

export const RUNS_COLUMNS = [
  'fault',
  'client',
  'repeat',
  'seed',
  'run_id',
  'metric',
  'source',
  'stat',
  'value_ms',
  'count',
  'missing',
  'passed',
  'report',
] as const

const cell = (x: number | null): string => (x === null ? '' : String(x))

export const calibrationCsv = (rows: readonly CalibrationRow[]): string =>
  stringify([
    [...CALIBRATION_COLUMNS],
    ...rows.map((r) => [
      r.fault,
      r.metric,
      r.source,
      r.stat,
      cell(r.sim.median),
      cell(r.sim.min),
      cell(r.sim.max),
      cell(r.go.median),
      cell(r.go.min),
      cell(r.go.max),
      cell(r.ratio),
      cell(r.diffMs),
      r.verdict,
      r.checked ? 'yes' : 'no',
      String(Math.min(r.sim.runs, r.go.runs)),
    ]),
  ])

export const runsCsv = (r: CalibrationResult): string =>
  stringify([
    [...RUNS_COLUMNS],
    ...r.runs.flatMap((run) =>
      run.stats.map((s) => [
        run.fault,
        run.client,
        run.repeat,
        run.seed,
        run.runId,
        s.metric,
        s.source,
        s.stat,
        cell(s.value),
        s.count,
        s.missing,
        run.passed ? 'yes' : 'no',
        run.reportDir,
      ]),
    ),
  ])

const ms = (x: number | null): string => (x === null ? '-' : x >= 1000 ? x.toFixed(0) : x.toFixed(1))
const range = (s: CalibrationRow['sim']): string => (s.min === null ? '' : `${ms(s.min)}-${ms(s.max)}`)

/** The console table: medians (ranges over the repeats), ratio, verdict. */
export const formatCalibrationTable = (rows: readonly CalibrationRow[]): string => {
  const header = ['fault', 'metric', 'stat', 'sim', '(range)', 'nats.go', '(range)', 'sim/go', 'diff', 'verdict']
  const body = rows.map((r) => [
    r.fault,
    r.metric === 'reconnect' && r.source !== 'reconnect_ms' ? `reconnect*` : r.metric,
    r.stat,
    ms(r.sim.median),
    range(r.sim),
    ms(r.go.median),
    range(r.go),
    r.ratio === null ? '-' : r.ratio.toFixed(2),
    r.diffMs === null ? '-' : `${r.diffMs > 0 ? '+' : ''}${ms(r.diffMs)}`,
    `${r.verdict === 'outside' ? 'OUTSIDE' : r.verdict}${r.checked ? '' : ' (reported)'}`,
  ])
  const all = [header, ...body]
  const width = header.map((_, k) => Math.max(...all.map((line) => (line[k] ?? '').length)))
  const left = new Set([0, 1, 2, 9])
  const lines = all.map((line) =>
    line
      .map((c, k) => (left.has(k) ? c.padEnd(width[k] ?? 0) : c.padStart(width[k] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
  const note = rows.some((r) => r.source === 'heal_reconnect_ms') ? ['(reconnect*: heal -> reconnected, heal_reconnect_ms)'] : []
  return [...lines, ...note].join('\n') + '\n'
}

/** Writes `<reports>/calibrate/<id>/`; returns the folder. */
export const writeCalibration = (r: CalibrationResult, o: CalibrationOptions): string => {
  const dir = new AtomicDir(join(o.reportsDir, 'calibrate', newRunId()))
  try {
    dir.write('calibration.csv', calibrationCsv(r.rows))
    dir.write('runs.csv', runsCsv(r))
    const settings = {
      faults: o.faults,
      nodes: o.nodes,
      repeats: o.repeats,
      seed: o.seed,
      bound: o.bound,
      floor: o.floor,
      floor_ms: r.floorMs,
      server_order: o.serverOrder,
      ...(o.timeScale === undefined ? {} : { time_scale: o.timeScale }),
    }
    const json = {
      ok: r.ok,
      settings,
      versions: { ...versions(findNatsServerOrNull()), ...r.goref.versions },
      host: hostInfo(),
      failed_runs: r.runs.filter((x) => !x.passed).map((x) => ({ run_id: x.runId, report: x.reportDir, problems: x.problems })),
    }
    dir.write('calibration.json', JSON.stringify(json, null, 2) + '\n')
    return dir.commit()
  } catch (e) {
    dir.abandon()
    throw e
  }
}
