import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { RunPlan } from '../config/run-plan.ts'
import { NetsimError } from '../errors.ts'
import { now } from '../clock.ts'
import { createRng } from '../rng.ts'
import { findNatsServer } from '../nats/find-binary.ts'
import { OrchestratorCluster } from '../orchestrator/cluster.ts'
import { Fleet } from '../compute/fleet.ts'
import { deriveMetrics, summarize, type SummaryRow, type MetricValue } from '../metrics/index.ts'
import { ConsoleReporter } from '../report/console.ts'
import { writeRunReport } from '../report/write-report.ts'
import { Recorder } from './recorder.ts'
import { LagMonitor } from './lag-monitor.ts'
import { buildNodeSpecs } from './node-specs.ts'
import { runStep, type StepContext } from './step-runner.ts'
import { checkAssertions, type AssertionResult } from './assertions.ts'
import { createRunDir, newRunId, reap, killProcessesOfRun } from './run-dir.ts'

export interface RunResult {
  runId: string
  plan: RunPlan
  reportDir: string
  summary: SummaryRow[]
  values: MetricValue[]
  assertions: AssertionResult[]
  /** wait_for steps that timed out */
  timeouts: string[]
  passed: boolean
}

export interface RunScenarioOptions {
  signal?: AbortSignal
  console?: ConsoleReporter
  runId?: string
}

/**
 * Runs one scenario end to end: orchestrators, fleet, timeline, metrics, report. Everything it
 * starts is torn down whatever happens (success, error, abort); a report is written only for a
 * run that reached its end.
 */
export const runScenario = async (plan: RunPlan, opts: RunScenarioOptions = {}): Promise<RunResult> => {
  const signal = opts.signal ?? new AbortController().signal
  // Secure by default: a fresh random token per run, never a committed constant.
  const token = randomBytes(24).toString('base64url')
  const redact = (s: string) => s.split(token).join('***')
  const out = opts.console ?? new ConsoleReporter({ redact })
  const reaped = reap()
  if (reaped.length > 0) out.line(`reaped ${reaped.length} killed run(s): ${reaped.map((r) => `${r.runId} (${r.killed.length} processes)`).join(', ')}`)

  const runId = opts.runId ?? newRunId()
  const runDir = createRunDir(runId)
  const binary = plan.natsServerBin ?? findNatsServer()
  const recorder = new Recorder()
  const startedIso = new Date().toISOString()
  const rng = createRng(plan.seed)
  const lag = new LagMonitor()
  let cluster: OrchestratorCluster | null = null
  let fleet: Fleet | null = null
  const check = () => {
    if (signal.aborted) throw new NetsimError('E_INTERRUPTED', 'interrupted')
  }
  const nodeCount = plan.groups.reduce((a, g) => a + g.count, 0)

  try {
    out.line(`netsim ${plan.scenario.name}: ${plan.orchestrators.count} orchestrators, ${nodeCount} nodes, profile ${plan.profile}, time scale ${plan.timeScale}, seed ${plan.seed}, run ${runId}`)
    recorder.note('run.start', { data: { run_id: runId, scenario: plan.scenario.name } })
    cluster = await OrchestratorCluster.start(
      plan.orchestrators.count,
      (name, joined) => ({
        name,
        runId,
        binary,
        dir: runDir,
        token,
        ...(plan.orchestrators.clustered ? { cluster: `netsim-${runId}` } : {}),
        heartbeatSubjects: plan.heartbeatSubjects,
        checkPeriod: plan.timers.check_period,
        disconnectAfter: plan.timers.disconnect_after,
        manualApproval: plan.orchestrators.manualApproval,
        lameDuck: plan.orchestrators.lameDuck,
        jetstream: plan.orchestrators.jetstream,
        joined,
      }),
      (e) => recorder.recordBatch([e]),
    )
    out.line(`  orchestrators up: ${cluster.members.map((o) => `${o.name}@${o.clientHostPort}`).join(' ')}`)
    check()

    fleet = Fleet.start({ runId, workers: Math.min(plan.workers, Math.max(1, nodeCount)), onEvents: (es) => recorder.recordBatch(es) })
    const specs = buildNodeSpecs(plan, cluster.members.map((o) => ({ name: o.name, client: o.clientHostPort })), token, rng.fork('nodes'))
    const launchStart = now()
    lag.begin('fleet-start')
    const ticker = setInterval(() => {
      const s = recorder.state
      const registered = [...s.nodes.values()].filter((n) => n.registered).length
      out.progress(`  starting fleet: ${s.nodes.size}/${nodeCount} started, ${registered} registered (${((now() - launchStart) / 1000).toFixed(1)} s)`)
    }, 500)
    const launched = await Promise.race([
      fleet.launch(specs, { concurrency: plan.startConcurrency, timeoutMs: 120_000 + nodeCount * 20 }),
      new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new NetsimError('E_INTERRUPTED', 'interrupted')), { once: true })),
    ]).finally(() => clearInterval(ticker))
    lag.end()
    out.line(`  fleet: ${launched.started} nodes registered, ${launched.failed} failed, in ${((now() - launchStart) / 1000).toFixed(2)} s (${plan.workers} workers)`)
    check()

    const ctx: StepContext = { plan, cluster, recorder, rng: rng.fork('steps'), lag, console: out, signal, timeouts: [], active: new Map() }
    for (const [i, step] of plan.timeline.entries()) {
      check()
      await runStep(ctx, step, i)
    }
    check()
    await fleet.stop()
    fleet = null
    await cluster.dispose()
    cluster = null

    const values = deriveMetrics(recorder.events)
    const summary = summarize(values, plan.groups.map((g) => g.name))
    const assertions = checkAssertions(plan.assertions, summary)
    const passed = assertions.every((a) => a.ok) && ctx.timeouts.length === 0
    out.summary(summary)
    out.assertions(assertions)
    for (const t of ctx.timeouts) out.line(`FAIL ${t}`)
    const reportDir = writeRunReport({
      dir: join(plan.reportsDir, plan.scenario.name, runId),
      runId,
      plan,
      events: recorder.events,
      values,
      summary,
      assertions,
      timeouts: ctx.timeouts,
      passed,
      startedIso,
      durationMs: now() - recorder.startedAt,
      lag: lag.windows,
      binary,
    })
    return { runId, plan, reportDir, summary, values, assertions, timeouts: ctx.timeouts, passed }
  } finally {
    await fleet?.dispose().catch(() => {})
    await cluster?.dispose().catch(() => {})
    killProcessesOfRun(runId) // anything that slipped through (a process started as the run was aborted)
    rmSync(runDir, { recursive: true, force: true })
  }
}
