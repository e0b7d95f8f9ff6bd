#!/usr/bin/env node
/**
 * The netsim command line: a thin table over the library. Every command calls the public API;
 * errors carry a code that maps to the exit status (docs/development.md, "Errors and exit codes").
 */
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { exitCodeFor, isNetsimError, NetsimError } from '../core/errors.ts'
import { scenarioBuilder, scenarioCommand } from './scenario-command.ts'
import { reapCommand } from './reap-command.ts'
import { compareBuilder, compareCommand } from './compare-command.ts'
import { reportBuilder, reportCommand } from './report-command.ts'
import { regressBuilder, regressCommand, baselineBuilder, baselineCommand } from './regress-command.ts'
import { swallowedFlags, swallowedMessage } from './npm-swallowed.ts'
import { calibrateBuilder, calibrateCommand } from './calibrate-command.ts'

const controller = new AbortController()
let interrupts = 0
const onSignal = (sig: NodeJS.Signals) => {
  interrupts++
  if (interrupts > 1) process.exit(130) // a second Ctrl-C: leave now; `netsim reap` cleans up
  process.stderr.write(`\n${sig}: stopping, removing every process this run started...\n`)
  controller.abort(new NetsimError('E_INTERRUPTED', `interrupted by ${sig}`))
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)
process.on('SIGHUP', onSignal)

const run = async (fn: () => Promise<number> | number): Promise<void> => {
  try {
    process.exitCode = await fn()
  } catch (err) {
    const e = isNetsimError(err) ? err : null
    process.stderr.write(`netsim: ${e ? `${e.code}: ` : ''}${(err as Error).message}\n`)
    if (!e) process.stderr.write(`${(err as Error).stack}\n`)
    process.exitCode = exitCodeFor(err)
  }
}

// `npm run scenario ... | head`: a closed stdout ends the command quietly
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw e
})

// netsim's own flags, as the commands declare them, for the npm check below
const FLAGS = [scenarioBuilder, compareBuilder, reportBuilder, regressBuilder, baselineBuilder, calibrateBuilder].flatMap((b) =>
  Object.keys((b(yargs([])) as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions().key),
)
const swallowed = swallowedFlags(
  process.env,
  [...new Set([...FLAGS, 'run', 'reports'])].filter((f) => !['help', 'version', 'name', 'a', 'b', 'dir', 'scenario'].includes(f)),
)
if (swallowed.length > 0) {
  process.stderr.write(`netsim: E_USAGE: ${swallowedMessage(process.env.npm_lifecycle_event as string, swallowed)}\n`)
  process.exit(64)
}

await yargs(hideBin(process.argv))
  .scriptName('netsim')
  .command('scenario [name]', 'run a scenario and write its report', scenarioBuilder, (args) => run(() => scenarioCommand(args, controller.signal)))
  .command(
    'compare <a> <b>',
    'compare a candidate run (B) with a reference (A: a run or a baseline); exit 1 on a regression',
    compareBuilder,
    (args) => run(() => compareCommand(args)),
  )
  .command('report [dir]', 'write report.html for a report folder, or (--index) the reports index', reportBuilder, (args) =>
    run(() => reportCommand(args)),
  )
  .command('regress', 'run the regression set and compare each scenario with its baseline; exit 1 on a regression', regressBuilder, (args) =>
    run(() => regressCommand(args, controller.signal)),
  )
  .command(
    'baseline update <scenario>',
    'run a scenario of the regression set a few times and store the pooled samples as its baseline',
    baselineBuilder,
    (args) => run(() => baselineCommand(args, controller.signal)),
  )
  .command(
    'calibrate',
    'run the same faults with simulated nodes and with real nats.go clients and compare detect and reconnect times; exit 1 outside the bound',
    calibrateBuilder,
    (args) => run(() => calibrateCommand(args, controller.signal)),
  )
  .command(
    'reap',
    'remove what killed runs left: processes, temp dirs, network namespaces (and containers, when a Docker engine answers)',
    (y) =>
      y
        .option('run', { type: 'string', describe: 'only this run id (even if its owner looks alive)' })
        .option('reports', { type: 'string', describe: 'reports folder to clear of half-written reports (default: reports_dir, else ./reports)' }),
    (args) => run(() => reapCommand(args)),
  )
  .demandCommand(1, 'name a command: scenario, compare, report, baseline, regress, calibrate or reap')
  .strict()
  .fail((msg, err) => {
    if (err) throw err
    process.stderr.write(`netsim: E_USAGE: ${msg}\n(see netsim --help)\n`)
    process.exit(64)
  })
  .help()
  .parseAsync()
