import { join } from 'node:path'
import { now } from '../core/clock.ts'
import { NetsimError } from '../core/errors.ts'
import { Recorder } from '../core/recorder.ts'
import { createRng } from '../core/rng.ts'
import { Redactor } from '../core/secret.ts'
import { generateToken } from '../config/resolve-auth.ts'
import { checkAssertions, deriveMetrics, summarize } from '../metrics/index.ts'
import type { RunPlan } from '../plan/run-plan.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { LagMonitor } from '../platform/lag-monitor.ts'
import { ConsoleReporter } from '../report/console.ts'
import { FilesReporter } from '../report/files-reporter.ts'
import { HtmlReporter } from '../report/html-reporter.ts'
import { updateReportsIndex } from '../report/index/index.ts'
import { ReporterBus, type Reporter, type RunReport } from '../report/reporter.ts'
import type { StepContext } from '../steps/index.ts'
import { disposePrepared, prepareRun, type PreparedRun } from './prepare.ts'
import { StartedRun } from './started-run.ts'
import { runTimeline } from './timeline.ts'

export interface RunResult extends RunReport {
  reportDir: string
}

export interface RunScenarioOptions {
  signal?: AbortSignal
  /** what follows the run besides the files: default, the console (stderr) */
  reporters?: Reporter[]
  /** print nothing on the console (the CLI's --quiet) */
  quiet?: boolean
  runId?: string
  /** for benchmarks: the processes of the fleet, once spawned and once every node is started */
  hooks?: {
    fleetSpawned?: (pids: number[]) => void | Promise<void>
    fleetReady?: (pids: number[]) => void | Promise<void>
  }
}

/**
 * Runs one scenario end to end (docs/development.md, "The run lifecycle"):
 * prepare (secrets, binary, backend, reap, run dir) → start (hosts, links, orchestrators,
 * fleet) → timeline (the steps) → results (metrics, assertions) → reporters (console, CSV and
 * run.json, report.html) → the report folder appears whole. Everything started is torn down
 * whatever happens (success, error, abort); a report is written only for a run that reached
 * its end. Every line and error message passes the run's one redactor.
 */
export const runScenario = async (plan: RunPlan, opts: RunScenarioOptions = {}): Promise<RunResult> => {
  const signal = opts.signal ?? new AbortController().signal
  const redactor = new Redactor()
  const reporters: Reporter[] = [
    ...(opts.reporters ?? [new ConsoleReporter({ quiet: opts.quiet ?? false })]),
    new FilesReporter(),
    new HtmlReporter(),
  ]
  const bus = new ReporterBus(reporters, redactor.redact)
  const recorder = new Recorder()
  const rng = createRng(plan.seed)
  const lag = new LagMonitor()
  let run: StartedRun | null = null
  let prepared: PreparedRun | null = null
  try {
    prepared = await prepareRun(plan, { ...(opts.runId ? { runId: opts.runId } : {}), out: bus, redactor })
    const { runId, transport } = prepared
    const fleetText = prepared.goref ? `the nats.go reference client, ${prepared.goref.versions.go}` : `${plan.workers} workers`
    const startedIso = new Date().toISOString()
    const nodeCount = plan.groups.reduce((a, g) => a + g.count, 0)
    bus.runStart({ runId, plan })
    const where = `${plan.transport === 'nats' ? '' : `, transport ${plan.transport}`}${plan.backend === 'process' ? '' : `, backend ${plan.backend}`}${
      prepared.goref ? `, nodes are nats.go ${prepared.goref.versions.nats_go} clients` : ''
    }`
    bus.line(
      `netsim ${plan.scenario.name}: ${plan.orchestrators.count} orchestrators, ${nodeCount} nodes${where}, profile ${plan.profile}, time scale ${plan.timeScale}, seed ${plan.seed}, run ${runId}`,
    )
    bus.line(transport.describe(plan))
    recorder.note('run.start', {}, { run_id: runId, scenario: plan.scenario.name, transport: plan.transport })

    run = await StartedRun.start(prepared, plan, { recorder, rng }, (r) => (run = r))
    const cluster = run.cluster as NonNullable<StartedRun['cluster']>
    // name=address: `name@host` would read as URL userinfo to the redactor
    bus.line(`  orchestrators up: ${cluster.members.map((o) => `${o.name}=${o.clientHostPort}`).join(' ')}`)
    if (signal.aborted) throw new NetsimError('E_INTERRUPTED', 'interrupted')

    const launchStart = now()
    const seconds = () => ((now() - launchStart) / 1000).toFixed(1)
    lag.begin('fleet-start')
    const ticker = setInterval(() => {
      const registered = [...recorder.state.nodes.values()].filter((n) => n.registered).length
      bus.progress(`  starting fleet: ${recorder.state.nodes.size}/${nodeCount} started, ${registered} ${transport.startedAs} (${seconds()} s)`, {
        label: `fleet ${transport.startedAs}`,
        done: registered,
        total: nodeCount,
      })
    }, 500)
    let launched: { started: number; failed: number }
    try {
      launched = await run.launchFleet(
        plan,
        { recorder, rng, out: bus, signal },
        { ...(opts.hooks?.fleetSpawned ? { spawned: opts.hooks.fleetSpawned } : {}) },
      )
    } finally {
      clearInterval(ticker)
    }
    lag.end()
    await opts.hooks?.fleetReady?.((run.fleet as NonNullable<StartedRun['fleet']>).pids)
    bus.line(
      `  fleet: ${launched.started} nodes ${transport.startedAs}, ${launched.failed} failed, in ${((now() - launchStart) / 1000).toFixed(2)} s (${fleetText})`,
    )

    const ctx: StepContext = {
      cluster,
      links: run.links,
      recorder,
      rng: rng.fork('steps'),
      lag,
      out: bus,
      signal,
      seed: plan.seed,
      sendsHeartbeats: (name) => {
        const g = plan.groups.find((x) => x.name === name)
        return g !== undefined && transport.sendsHeartbeats(g)
      },
      rotateToken: () => {
        const next = generateToken(plan.auth.style)
        redactor.add(next)
        return next
      },
      routeAuth: plan.auth.routeAuth,
      timeouts: [],
      notes: [],
      active: new Map(),
      pendingHeals: new Set(),
      workloads: [],
    }
    await runTimeline(ctx, plan)
    await run.finish()

    const values = deriveMetrics(recorder.events)
    const summary = summarize(
      values,
      plan.groups.map((g) => g.name),
    )
    const assertions = checkAssertions(plan.assertions, summary)
    const report: RunReport = {
      runId,
      plan,
      events: recorder.events,
      values,
      summary,
      assertions,
      timeouts: ctx.timeouts,
      notes: ctx.notes,
      passed: assertions.every((a) => a.ok) && ctx.timeouts.length === 0,
      startedIso,
      durationMs: now() - recorder.startedAt,
      lag: lag.windows,
      binary: prepared.binary,
      ...(prepared.goref ? { clientVersions: prepared.goref.versions } : {}),
    }
    const dir = new AtomicDir(join(plan.reportsDir, plan.scenario.name, runId))
    let reportDir: string
    try {
      await bus.runEnd(report, dir)
      reportDir = dir.commit()
    } catch (err) {
      dir.abandon()
      throw new NetsimError('E_REPORT', `writing the report to ${dir.final} failed: ${(err as Error).message}`, { cause: err })
    }
    // the index lists every run of the reports folder: rewritten once this one is in place
    await updateReportsIndex(plan.reportsDir, (l) => bus.line(l))
    return { ...report, reportDir }
  } catch (err) {
    // An error message may quote a server log or a URL: no secret leaves in it.
    if (err instanceof Error) err.message = redactor.redact(err.message)
    throw err
  } finally {
    // a started run tears down everything; one that failed before starting only its run dir and lock
    if (run !== null) await (run as StartedRun).dispose(bus)
    else if (prepared !== null) await disposePrepared(prepared)
  }
}
