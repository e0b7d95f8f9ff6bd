import type { Argv } from 'yargs'
import {
  BACKEND_NAMES,
  ConsoleReporter,
  defaultScenariosDir,
  describeScenarios,
  ensureWritableDir,
  FLEET_CLIENTS,
  NetsimError,
  PROCESS_FAULT_NAMES,
  PROFILE_NAMES,
  resolvePlans,
  runRepeated,
  runScenario,
  runTransports,
  TRANSPORT_NAMES,
  type RunOptions,
} from '../index.ts'
import type { ArgsOf } from './args.ts'

export const scenarioBuilder = (y: Argv) =>
  y
    .positional('name', { type: 'string', describe: 'scenario name (scenarios/<name>.yaml) or a path to a .yaml file' })
    .option('list', { type: 'boolean', describe: 'list the available scenarios and exit' })
    .option('nodes', { type: 'number', describe: 'total compute nodes (groups scaled in proportion)' })
    .option('orchestrators', { type: 'number', describe: 'orchestrators at start' })
    .option('network', {
      choices: TRANSPORT_NAMES,
      describe: 'transport for the whole run: nats, or libp2p (the pre-NATS transport); for a scenario that compares transports, run only this one',
    })
    .option('backend', {
      choices: BACKEND_NAMES,
      describe:
        'where hosts live: process (plain processes on 127.0.0.1, link faults by proxies), netns (a network namespace per host, kernel link cuts; root), docker (not wired for full runs yet)',
    })
    .option('profile', { choices: PROFILE_NAMES, describe: 'Bacalhau version profile (timers, subjects)' })
    .option('time-scale', { type: 'number', describe: 'multiplies every protocol timer (default 0.1: a 15 s heartbeat becomes 1.5 s)' })
    .option('seed', { type: 'number', describe: 'seed for every random choice (default: random, recorded in run.json)' })
    .option('fault', {
      choices: PROCESS_FAULT_NAMES,
      describe: 'fault type for fault steps that say `default` (kill=SIGKILL, stop=SIGTERM, freeze=SIGSTOP, lame-duck=SIGUSR2)',
    })
    .option('client', {
      choices: FLEET_CLIENTS,
      describe:
        "who runs the compute nodes: sim (netsim's nodes, default) or nats.go (real nats.go clients, Bacalhau's client; needs Go, see docs/calibration.md)",
    })
    .option('server-order', {
      choices: ['go', 'js'] as const,
      describe: "simulated nodes: which server they dial next after losing one, go (nats.go's order and backoff, default) or js (nats.js's own)",
    })
    .option('out', { type: 'string', describe: 'reports folder (default: reports)' })
    .option('workers', { type: 'number', describe: 'compute worker processes (default: one per core)' })
    .option('config', { type: 'string', describe: 'harness config file (default: ./harness.config.yaml)' })
    .option('token', {
      type: 'string',
      describe: "the orchestrators' token for this run (default: NETSIM_AUTH_TOKEN, node.network.authsecret, else random)",
    })
    .option('token-file', { type: 'string', describe: 'read the token from this file' })
    .option('route-auth', { type: 'boolean', describe: 'require user/password on cluster routes (Bacalhau configures none)' })
    .option('repeat', { type: 'number', describe: 'run N times (seeds seed, seed+1, ...), each reported, plus a pooled summary' })
    .option('replay', { type: 'string', describe: 'replay a run.json: its seed and its chaos schedule' })
    .option('jobs', {
      type: 'boolean',
      describe: "run the scenario's opt-in job workload (jobs steps with opt_in: true): job latency, failed and lost jobs",
    })
    .option('quiet', { type: 'boolean', describe: 'print nothing but the last line (PASS/FAIL and the report folder)' })

export type ScenarioArgs = ArgsOf<typeof scenarioBuilder>

/** `netsim scenario <name>`: resolves the plan, runs it, prints the report folder last. */
export const scenarioCommand = async (args: ScenarioArgs, signal: AbortSignal): Promise<number> => {
  const dir = defaultScenariosDir()
  if (args.list || args.name === undefined) {
    for (const { name, description } of describeScenarios(dir)) process.stdout.write(`${name.padEnd(24)} ${description}\n`)
    if (!args.list) throw new NetsimError('E_USAGE', 'name a scenario to run (listed above)')
    return 0
  }
  // a reports folder the run could not write would cost the whole run at its end
  if (args.out !== undefined) ensureWritableDir(args.out, '--out')
  const opts: RunOptions = {
    scenario: args.name,
    scenariosDir: dir,
    ...(args.nodes === undefined ? {} : { nodes: args.nodes }),
    ...(args.orchestrators === undefined ? {} : { orchestrators: args.orchestrators }),
    ...(args.network === undefined ? {} : { transport: args.network }),
    ...(args.backend === undefined ? {} : { backend: args.backend }),
    ...(args.profile === undefined ? {} : { profile: args.profile }),
    ...(args.timeScale === undefined ? {} : { time_scale: args.timeScale }),
    ...(args.seed === undefined ? {} : { seed: args.seed }),
    ...(args.fault === undefined ? {} : { fault: args.fault }),
    ...(args.out === undefined ? {} : { reports_dir: args.out }),
    ...(args.client === undefined ? {} : { client: args.client }),
    ...(args.serverOrder === undefined ? {} : { server_order: args.serverOrder }),
    ...(args.workers === undefined ? {} : { workers: args.workers }),
    ...(args.config === undefined ? {} : { configFile: args.config }),
    ...(args.token === undefined ? {} : { token: args.token }),
    ...(args.tokenFile === undefined ? {} : { tokenFile: args.tokenFile }),
    ...(args.routeAuth === undefined ? {} : { routeAuth: args.routeAuth }),
    ...(args.replay === undefined ? {} : { replay: args.replay }),
    ...(args.jobs === undefined ? {} : { jobs: args.jobs }),
  }
  const plans = resolvePlans(opts)
  if (plans.length > 1) {
    const r = await runTransports(plans, { signal, quiet: args.quiet ?? false })
    process.stdout.write(`${r.passed ? 'PASS' : 'FAIL'} ${r.scenario} (${plans.map((p) => p.transport).join(' vs ')}): report in ${r.reportDir}\n`)
    return r.passed ? 0 : 1
  }
  const plan = plans[0] as (typeof plans)[number]
  if (args.repeat !== undefined && args.repeat !== 1) {
    if (!Number.isInteger(args.repeat) || args.repeat < 1)
      throw new NetsimError('E_USAGE', `--repeat: expected a whole number >= 1, got ${args.repeat}`)
    const console = new ConsoleReporter({ quiet: args.quiet ?? false })
    const r = await runRepeated(plan, args.repeat, { signal, console, quiet: args.quiet ?? false })
    console.summary(r.pooled)
    for (const run of r.runs) process.stdout.write(`${run.passed ? 'PASS' : 'FAIL'} ${plan.scenario.name} seed ${run.plan.seed}: ${run.reportDir}\n`)
    process.stdout.write(`${r.passed ? 'PASS' : 'FAIL'} ${plan.scenario.name} x${args.repeat}: pooled report in ${r.reportDir}\n`)
    return r.passed ? 0 : 1
  }
  const result = await runScenario(plan, { signal, quiet: args.quiet ?? false })
  process.stdout.write(`${result.passed ? 'PASS' : 'FAIL'} ${plan.scenario.name}: report in ${result.reportDir}\n`)
  return result.passed ? 0 : 1
}
