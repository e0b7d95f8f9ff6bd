import type { Argv } from 'yargs'
import { resolve } from 'node:path'
import { CALIBRATED_FAULTS, CalibrateSettingsSchema, type CalibratedFaultName } from '../config/calibrate-settings.ts'
import { loadHarnessConfig } from '../config/load.ts'
import { isNetsimError, NetsimError } from '../core/errors.ts'
import { buildGoref } from '../fleet/goref-build.ts'
import { formatCalibrationTable, writeCalibration } from '../calibrate/calibration-report.ts'
import { runCalibration, type CalibrationOptions } from '../calibrate/run-calibration.ts'
import type { ArgsOf } from './args.ts'

export const calibrateBuilder = (y: Argv) =>
  y
    .option('check', {
      type: 'boolean',
      describe:
        'the CI tier: the smaller `calibrate.check` set of harness.config.yaml; exit 1 when a checked ratio leaves its bound. Skipped (exit 0, reason printed) where the reference client cannot be built',
    })
    .option('faults', { type: 'string', array: true, describe: `faults to calibrate (${CALIBRATED_FAULTS.join(', ')})` })
    .option('nodes', { type: 'number', describe: 'compute nodes per run' })
    .option('repeats', { type: 'number', describe: 'runs per side and fault (seed, seed+1, ...); the table compares medians' })
    .option('seed', { type: 'number', describe: 'seed of the first repeat' })
    .option('server-order', {
      choices: ['go', 'js'] as const,
      describe: "the simulated nodes' server order: go (nats.go's, the model) or js (nats.js's own: shows what the calibration catches)",
    })
    .option('time-scale', { type: 'number', describe: 'time scale of both sides (default: the harness config, 0.1)' })
    .option('out', { type: 'string', describe: 'reports folder (default: reports)' })
    .option('config', { type: 'string', describe: 'harness config (default ./harness.config.yaml)' })

const positive = (flag: string, v: number | undefined): number | undefined => {
  if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new NetsimError('E_USAGE', `--${flag}: expected a whole number >= 1, got ${v}`)
  return v
}

/**
 * `netsim calibrate` (docs/calibration.md): simulated nodes against real nats.go clients under
 * the same faults; prints the table, writes reports/calibrate/<id>/. Exit 1 when a run failed or
 * a checked ratio left its bound.
 */
export const calibrateCommand = async (args: ArgsOf<typeof calibrateBuilder>, signal: AbortSignal): Promise<number> => {
  const s = CalibrateSettingsSchema.parse(loadHarnessConfig(args.config).settings.calibrate ?? {})
  const set = args.check ? s.check : s
  const faults = (args.faults ?? set.faults).flatMap((f) => f.split(','))
  for (const f of faults)
    if (!(CALIBRATED_FAULTS as readonly string[]).includes(f))
      throw new NetsimError('E_USAGE', `--faults: unknown ${f}; known: ${CALIBRATED_FAULTS.join(', ')}`)
  const o: CalibrationOptions = {
    faults: faults as CalibratedFaultName[],
    nodes: positive('nodes', args.nodes) ?? set.nodes,
    repeats: positive('repeats', args.repeats) ?? set.repeats,
    seed: args.seed ?? s.seed,
    bound: s.bound,
    floor: s.floor,
    serverOrder: args.serverOrder ?? 'go',
    ...(args.timeScale === undefined ? {} : { timeScale: args.timeScale }),
    reportsDir: resolve(args.out ?? 'reports'),
    ...(args.config === undefined ? {} : { configFile: args.config }),
    signal,
    log: (l) => process.stderr.write(`${l}\n`),
  }
  let goref
  try {
    goref = await buildGoref()
  } catch (e) {
    if (args.check && isNetsimError(e, 'E_GOREF_UNAVAILABLE')) {
      process.stdout.write(`SKIP calibrate: ${e.message}\n`)
      return 0
    }
    throw e
  }
  process.stderr.write(
    `calibrate: ${o.faults.join(', ')}; ${o.nodes} nodes, ${o.repeats} repeats per side; simulated nodes (server order ${o.serverOrder}) ` +
      `against nats.go ${goref.versions.nats_go} (${goref.versions.go}); bound ${o.bound}x, or a difference within ${o.floor}\n`,
  )
  const r = await runCalibration(o)
  const dir = writeCalibration(r, o)
  process.stdout.write(formatCalibrationTable(r.rows))
  process.stdout.write(`(floor: ${o.floor} = ${r.floorMs} ms)\n`)
  const outside = r.rows.filter((x) => x.checked && x.verdict === 'outside').map((x) => `${x.fault} ${x.metric} ${x.stat} (sim/go ${x.ratio ?? '-'})`)
  const failed = r.runs.filter((x) => !x.passed).map((x) => `${x.fault} ${x.client} seed ${x.seed}: ${x.problems.join('; ')}`)
  for (const l of [...outside.map((x) => `OUTSIDE ${x}`), ...failed.map((x) => `FAILED ${x}`)]) process.stderr.write(`${l}\n`)
  process.stdout.write(
    `${r.ok ? 'PASS' : 'FAIL'} calibrate: ${outside.length} outside the bound, ${failed.length} runs failed; calibration.csv in ${dir}\n`,
  )
  return r.ok ? 0 : 1
}
