import { join } from 'node:path'
import type { CalibratedFaultName } from '../config/calibrate-settings.ts'
import { resolvePlan } from '../config/resolve.ts'
import { buildGoref, type GorefBinary } from '../fleet/goref-build.ts'
import type { FleetClient, ServerOrder } from '../plan/run-plan.ts'
import { runScenario } from '../run/run-scenario.ts'
import { parseDuration, type DurationSpec } from '../core/duration.ts'
import type { RunOptions } from '../config/resolve.ts'
import { calibratedFault } from './calibrated-faults.ts'
import { compareSides, runStats, type CalibrationRow, type RunStat } from './calibration-stats.ts'

/**
 * `netsim calibrate` (docs/calibration.md): for each fault, the same scenario, cluster size and
 * seed run with simulated nodes and with real nats.go clients, `repeats` times each (repeat k
 * with seed + k), the two sides taking turns going first so that a machine getting busier or
 * quieter over the session weighs on both alike. Each run is an ordinary run with its own report
 * (under <reports>/calibrate/runs/); the comparison is of medians over the repeats.
 */
export interface CalibrationOptions {
  faults: readonly CalibratedFaultName[]
  nodes: number
  repeats: number
  seed: number
  bound: number
  /** the floor as written (a duration over the run's scaled timers: `0.5 * reconnect_wait`) */
  floor: DurationSpec
  /** the simulated nodes' server order: go (the model), or js (nats.js's own: what calibration is for catching) */
  serverOrder: ServerOrder
  timeScale?: number
  reportsDir: string
  configFile?: string | null
  signal?: AbortSignal
  log?: (line: string) => void
}

export interface CalibrationRun {
  fault: CalibratedFaultName
  client: FleetClient
  repeat: number
  seed: number
  runId: string
  reportDir: string
  passed: boolean
  /** the run's failed assertions and timeouts */
  problems: string[]
  stats: RunStat[]
}

export interface CalibrationResult {
  goref: GorefBinary
  runs: CalibrationRun[]
  rows: CalibrationRow[]
  /** the floor in ms, at the runs' timers */
  floorMs: number
  /** every run passed its own assertions, and no checked row is outside its bound */
  ok: boolean
}

export const runCalibration = async (o: CalibrationOptions): Promise<CalibrationResult> => {
  const log = o.log ?? (() => undefined)
  // Before any run: without a reference client there is nothing to calibrate against (69).
  const goref = await buildGoref()
  const options = (name: CalibratedFaultName, seed: number, client: FleetClient): RunOptions => {
    const f = calibratedFault(name)
    return {
      scenario: f.scenario,
      nodes: o.nodes,
      seed,
      client,
      server_order: o.serverOrder,
      reports_dir: join(o.reportsDir, 'calibrate', 'runs'),
      ...(f.fault === undefined ? {} : { fault: f.fault }),
      ...(o.timeScale === undefined ? {} : { time_scale: o.timeScale }),
      ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    }
  }
  // The floor at the runs' (scaled) timers; every calibrated scenario has the same client timers.
  const floorMs = parseDuration(o.floor, resolvePlan(options(o.faults[0] as CalibratedFaultName, o.seed, 'sim')).timers)
  const runs: CalibrationRun[] = []
  const rows: CalibrationRow[] = []
  for (const name of o.faults) {
    const f = calibratedFault(name)
    for (let k = 0; k < o.repeats; k++) {
      const seed = o.seed + k
      const sides: FleetClient[] = k % 2 === 0 ? ['sim', 'nats.go'] : ['nats.go', 'sim']
      for (const client of sides) {
        const plan = resolvePlan(options(name, seed, client))
        const r = await runScenario(plan, { quiet: true, ...(o.signal ? { signal: o.signal } : {}) })
        const stats = runStats(r.values, f.reconnectMetric)
        const problems = [...r.assertions.filter((a) => !a.ok).map((a) => `${a.text} (actual ${a.actual ?? 'no value'})`), ...r.timeouts]
        runs.push({ fault: name, client, repeat: k, seed, runId: r.runId, reportDir: r.reportDir, passed: r.passed, problems, stats })
        const at = (m: string, s: string) => stats.find((x) => x.metric === m && x.stat === s)?.value ?? 'none'
        log(
          `  ${name} ${k + 1}/${o.repeats} ${client.padEnd(7)} detect p50 ${at('detect', 'p50')} p99 ${at('detect', 'p99')}, ` +
            `reconnect p50 ${at('reconnect', 'p50')} p99 ${at('reconnect', 'p99')} ms${r.passed ? '' : `; FAILED ${problems.join('; ')}`}`,
        )
      }
    }
    const mine = (c: FleetClient) => runs.filter((r) => r.fault === name && r.client === c).map((r) => r.stats)
    rows.push(...compareSides(name, mine('sim'), mine('nats.go'), { bound: o.bound, floorMs }))
  }
  const inBounds = rows.every((r) => !r.checked || r.verdict === 'within' || r.verdict === 'floor')
  return { goref, runs, rows, floorMs, ok: inBounds && runs.every((r) => r.passed) }
}
