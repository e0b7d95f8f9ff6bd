import type { Argv } from 'yargs'
import { loadHarnessConfig } from '../config/load.ts'
import type { ArgsOf } from './args.ts'
import { timersOverrideSchema, type Settings } from '../config/settings-schema.ts'
import { NetsimError } from '../core/errors.ts'
import { CompareSettingsSchema } from '../config/compare-settings.ts'
import { runRegress, updateBaseline, type EntryRunner } from '../regress/run-regress.ts'
import { RegressSettingsSchema } from '../config/regress-settings.ts'

const regressSettings = (h: Settings) => {
  if (!h.regress) throw new NetsimError('E_CONFIG', 'harness.config.yaml has no `regress:` section listing the regression scenarios')
  return RegressSettingsSchema.parse(h.regress)
}

/** `--timer ping_interval=40s` (repeatable): a timer override for every scenario, in Bacalhau's units. */
export const parseTimerFlags = (flags: string[] | undefined): Settings['timers'] | undefined => {
  if (!flags || flags.length === 0) return undefined
  const out: Record<string, string | null> = {}
  for (const f of flags) {
    const eq = f.indexOf('=')
    if (eq < 1) throw new NetsimError('E_USAGE', `--timer ${f}: expected name=duration, e.g. ping_interval=40s`)
    const value = f.slice(eq + 1)
    out[f.slice(0, eq)] = value === 'null' ? null : value
  }
  const r = timersOverrideSchema.safeParse(out)
  if (!r.success) throw new NetsimError('E_USAGE', `--timer: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return r.data as Settings['timers']
}

export const regressBuilder = (y: Argv) =>
  y
    .option('only', { type: 'string', array: true, describe: 'run only these scenarios of the set' })
    .option('timer', {
      type: 'string',
      array: true,
      describe: 'override a timer everywhere, name=duration (e.g. reconnect_wait=4s): how to inject a regression on purpose',
    })
    .option('config', { type: 'string', describe: 'harness config (default ./harness.config.yaml)' })
    .option('runs', { type: 'number', describe: "runs pooled into each scenario's candidate (default: regress.runs)" })
    .option('seed', { type: 'number', describe: "the first run's seed, to reproduce a regress run (default: random, never one a baseline used)" })

/** For tests: a stub runner instead of real runs, and where reports go. */
export interface RegressDeps {
  runner?: EntryRunner
  reportsDir?: string
}

/** `netsim regress`: exit 0 when nothing regressed and every scenario passed its own assertions. */
export const regressCommand = async (args: ArgsOf<typeof regressBuilder>, signal: AbortSignal, deps: RegressDeps = {}): Promise<number> => {
  if (args.runs !== undefined && (!Number.isInteger(args.runs) || args.runs < 1))
    throw new NetsimError('E_USAGE', `--runs: expected a whole number >= 1, got ${args.runs}`)
  const h = loadHarnessConfig(args.config).settings
  const timers = parseTimerFlags(args.timer)
  const settings = regressSettings(h)
  const r = await runRegress({
    settings: args.runs === undefined ? settings : { ...settings, runs: args.runs, scenarios: settings.scenarios.map(({ runs: _r, ...e }) => e) },
    compare: CompareSettingsSchema.parse(h.compare ?? {}),
    ...(timers ? { timers } : {}),
    ...(args.only ? { only: args.only } : {}),
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.config === undefined ? {} : { configFile: args.config }),
    ...(deps.runner ? { runner: deps.runner } : {}),
    ...(deps.reportsDir ? { reportsDir: deps.reportsDir } : {}),
    signal,
  })
  const regressed = r.suites.flatMap((s) =>
    s.rows.filter((row) => row.verdict === 'regressed').map((row) => `${s.scenario}: ${row.group}.${row.metric} (${row.reason})`),
  )
  const failed = r.suites.filter((s) => !s.passed || s.error).map((s) => `${s.scenario}: ${s.error ?? s.failures.join('; ')}`)
  for (const line of [...regressed.map((x) => `REGRESSED ${x}`), ...failed.map((x) => `FAILED ${x}`)]) process.stderr.write(line + '\n')
  process.stdout.write(
    `${r.ok ? 'PASS' : 'FAIL'} regress: ${r.suites.length} scenarios, ${regressed.length} regressed, ${failed.length} failed; junit.xml and regress.csv in ${r.dir}\n`,
  )
  return r.ok ? 0 : 1
}

export const baselineBuilder = (y: Argv) =>
  y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'a scenario of the regression set, or all' })
    .option('runs', { type: 'number', describe: 'runs pooled into the baseline (default: regress.baseline_runs)' })
    .option('config', { type: 'string', describe: 'harness config (default ./harness.config.yaml)' })

/** `netsim baseline update <scenario|all>`: deliberately refreshes stored baselines. */
export const baselineCommand = async (args: ArgsOf<typeof baselineBuilder>, signal: AbortSignal, deps: RegressDeps = {}): Promise<number> => {
  const settings = regressSettings(loadHarnessConfig(args.config).settings)
  const entries = settings.scenarios.filter((e) => args.scenario === 'all' || e.scenario === args.scenario)
  if (entries.length === 0)
    throw new NetsimError('E_USAGE', `${args.scenario} is not in the regression set (${settings.scenarios.map((e) => e.scenario).join(', ')})`)
  for (const e of entries) {
    const file = await updateBaseline(e, {
      runs: args.runs ?? settings.baseline_runs,
      ...(args.config === undefined ? {} : { configFile: args.config }),
      ...(deps.runner ? { runner: deps.runner } : {}),
      ...(deps.reportsDir ? { reportsDir: deps.reportsDir } : {}),
      signal,
      log: (l) => process.stderr.write(l + '\n'),
    })
    process.stdout.write(`baseline written: ${file}\n`)
  }
  return 0
}
