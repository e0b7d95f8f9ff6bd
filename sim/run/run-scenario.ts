import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import type { RunPlan } from '../config/run-plan.ts'
import { NetsimError } from '../core/errors.ts'
import { now } from '../core/clock.ts'
import { createRng } from '../core/rng.ts'
import { findNatsServer } from '../transports/nats/find-binary.ts'
import { goMaxProcsFor } from '../transports/nats/server-process.ts'
import { OrchestratorCluster } from '../transports/nats/orchestrator/cluster.ts'
import { Fleet } from '../fleet/fleet.ts'
import { deriveMetrics, summarize, jobCounts, jobRecords, type SummaryRow, type MetricValue } from '../metrics/index.ts'
import { ConsoleReporter } from '../report/console.ts'
import { errorCounts } from '../report/format/csv.ts'
import { writeRunReport } from '../report/write-report.ts'
import { Recorder } from '../core/recorder.ts'
import { LagMonitor, type LagWindow } from '../platform/lag-monitor.ts'
import type { SimEvent } from '../core/events.ts'
import { buildNodeSpecs, buildLibp2pNodeSpecs } from '../transports/nats/node-specs.ts'
import type { FleetNodeSpec } from '../fleet/node-spec.ts'
import type { RunCluster } from '../core/cluster.ts'
import { Libp2pCluster } from '../transports/libp2p/libp2p-cluster.ts'
import { runStep, settleWorkloads, type StepContext } from '../steps/step-runner.ts'
import { checkAssertions, type AssertionResult } from './assertions.ts'
import { createRunDir, newRunId, killProcessesOfRun } from '../platform/run-dir.ts'
import { reapRuns } from './reap-runs.ts'
import { checkRunBackend, RunHosts } from './run-hosts.ts'
import { KernelLinks } from '../backends/netns/kernel-links.ts'
import { Redactor } from '../core/secret.ts'
import { LinkLayer } from '../backends/process/links/link-layer.ts'
import { isLinkFault } from '../steps/steps.ts'
import { generateToken } from '../config/resolve-auth.ts'

const findNatsServerOrNull = (): string | null => {
  try {
    return findNatsServer()
  } catch {
    return null
  }
}

export interface RunResult {
  runId: string
  events: SimEvent[]
  /** the harness's event-loop lag and CPU per measured window */
  lag: LagWindow[]
  plan: RunPlan
  reportDir: string
  summary: SummaryRow[]
  values: MetricValue[]
  assertions: AssertionResult[]
  /** wait_for steps that timed out */
  timeouts: string[]
  /** wait_for steps with `on_timeout: note` that timed out: reported, not failures */
  notes: string[]
  passed: boolean
}

export interface RunScenarioOptions {
  signal?: AbortSignal
  console?: ConsoleReporter
  runId?: string
  /** for benchmarks: the processes of the fleet, once spawned and once every node is started */
  hooks?: {
    fleetSpawned?: (pids: number[]) => void | Promise<void>
    fleetReady?: (pids: number[]) => void | Promise<void>
  }
}

/**
 * Runs one scenario end to end: orchestrators, fleet, timeline, metrics, report. Everything it
 * starts is torn down whatever happens (success, error, abort); a report is written only for a
 * run that reached its end.
 */
export const runScenario = async (plan: RunPlan, opts: RunScenarioOptions = {}): Promise<RunResult> => {
  const signal = opts.signal ?? new AbortController().signal
  // Every secret of the run goes through one redactor: console lines and error messages.
  const redactor = new Redactor()
  const token = plan.auth.token.reveal()
  const wrongToken = generateToken(plan.auth.style)
  const routeAuth = plan.auth.routeAuth ? { user: 'route', password: randomBytes(18).toString('base64url') } : undefined
  for (const s of [token, wrongToken, routeAuth?.password]) redactor.add(s)
  const out = opts.console ?? new ConsoleReporter({ redact: redactor.redact })
  // Before anything is created: a backend this machine cannot run fails here, saying why.
  const backend = await checkRunBackend(plan)
  const reaped = await reapRuns()
  if (reaped.length > 0)
    out.line(
      `reaped ${reaped.length} killed run(s): ${reaped.map((r) => `${r.runId} (${r.killed.length} processes${r.namespaces.length ? `, ${r.namespaces.length} namespaces` : ''})`).join(', ')}`,
    )

  const runId = opts.runId ?? newRunId()
  const runDir = createRunDir(runId)
  const libp2p = plan.transport === 'libp2p'
  // libp2p mode runs no nats-server; run.json still records its version when there is one.
  const binary = plan.natsServerBin ?? (libp2p ? findNatsServerOrNull() : findNatsServer())
  const recorder = new Recorder()
  const startedIso = new Date().toISOString()
  const rng = createRng(plan.seed)
  const lag = new LagMonitor()
  let cluster: RunCluster | null = null
  let fleet: Fleet | null = null
  // Where hosts live (netns: namespaces, created after the run dir so reap sees their owner).
  let hosts: RunHosts
  try {
    hosts = await RunHosts.open(backend, plan, runId)
  } catch (err) {
    rmSync(runDir, { recursive: true, force: true })
    throw err
  }
  // Link faults only when the scenario breaks links: otherwise nodes talk to servers directly.
  // Process backend: through per-group proxies; netns: kernel cuts between namespaces.
  const usesLinks = plan.timeline.some(
    (s) => (s.kind === 'fault' && isLinkFault(s.fault.type)) || (s.kind === 'chaos' && s.schedule.some((e) => isLinkFault(e.fault.type))),
  )
  const links = !usesLinks
    ? null
    : hosts.backend === 'netns'
      ? LinkLayer.kernel(new KernelLinks(hosts.hosts, (g, o) => recorder.state.connectedTo(g, o).size))
      : LinkLayer.start(runId)
  const groupNames = plan.groups.map((g) => g.name)
  const check = () => {
    if (signal.aborted) throw new NetsimError('E_INTERRUPTED', 'interrupted')
  }
  const nodeCount = plan.groups.reduce((a, g) => a + g.count, 0)

  try {
    out.line(
      `netsim ${plan.scenario.name}: ${plan.orchestrators.count} orchestrators, ${nodeCount} nodes${libp2p ? ', transport libp2p' : ''}${plan.backend === 'process' ? '' : `, backend ${plan.backend}`}, profile ${plan.profile}, time scale ${plan.timeScale}, seed ${plan.seed}, run ${runId}`,
    )
    if (libp2p)
      out.line(
        `  libp2p: no registration, no token; nodes gossip their info (first after ${plan.libp2pTimers.info_eager_interval} ms), re-dial every ${plan.libp2pTimers.redial_interval} ms; nodes publish only unless their group says gossip_subscribe`,
      )
    else
      out.line(
        `  auth: ${plan.auth.mode === 'none' ? 'none (orchestrators accept anyone)' : `token from ${plan.auth.source}`}${plan.auth.routeAuth ? ', route authentication on' : ''}`,
      )
    recorder.note('run.start', { data: { run_id: runId, scenario: plan.scenario.name, transport: plan.transport } })
    const orchSeeds = rng.fork('libp2p-orchestrators')
    cluster = libp2p
      ? await Libp2pCluster.start(
          plan.orchestrators.count,
          (name, joined) => ({ name, runId, joined, timers: plan.libp2pTimers, seed: Math.floor(orchSeeds.next() * 2 ** 32) }),
          (e) => recorder.recordBatch([e]),
        )
      : await OrchestratorCluster.start(
          plan.orchestrators.count,
          (name, joined) => ({
            name,
            runId,
            binary: binary as string,
            dir: runDir,
            ...(plan.auth.mode === 'token' ? { token } : {}),
            ...(routeAuth ? { routeAuth } : {}),
            ...(plan.orchestrators.clustered ? { cluster: `netsim-${runId}` } : {}),
            heartbeatSubjects: plan.heartbeatSubjects,
            checkPeriod: plan.timers.check_period,
            heartbeatInterval: plan.timers.heartbeat_interval,
            disconnectAfter: plan.timers.disconnect_after,
            manualApproval: plan.orchestrators.manualApproval,
            lameDuck: plan.orchestrators.lameDuck,
            jetstream: plan.orchestrators.jetstream,
            joined,
            goMaxProcs: goMaxProcsFor(plan.orchestrators.count),
            ...(hosts.placement(name) ? { placement: hosts.placement(name) } : {}),
            ...(links?.proxied
              ? {
                  onServerReady: async (name: string, client: string) => {
                    await links.addOrchestrator(name, client, groupNames, plan.seed)
                    recorder.aliases = links.aliases
                  },
                }
              : {}),
          }),
          (e) => recorder.recordBatch([e]),
        )
    // name=address: `name@host` would read as URL userinfo to the redactor
    out.line(`  orchestrators up: ${cluster.members.map((o) => `${o.name}=${o.clientHostPort}`).join(' ')}`)
    check()

    // netns: each group's workers in the group's namespace (a host per group).
    const fleetGroups =
      hosts.backend === 'netns'
        ? plan.groups.map((g) => ({ name: g.name, count: g.count, wrap: (argv: string[]) => hosts.hosts.wrapCommand(g.name, argv) }))
        : undefined
    fleet = Fleet.start({
      runId,
      workers: Math.min(plan.workers, Math.max(1, nodeCount)),
      onEvents: (es) => recorder.recordBatch(es),
      ...(fleetGroups ? { groups: fleetGroups } : {}),
    })
    await opts.hooks?.fleetSpawned?.(fleet.pids)
    const members = cluster.members.map((o) => ({ name: o.name, client: o.clientHostPort }))
    const specs: FleetNodeSpec[] = libp2p
      ? buildLibp2pNodeSpecs(plan, members, rng.fork('nodes'))
      : buildNodeSpecs(plan, members, { token, wrongToken }, rng.fork('nodes'), links?.proxied ? (g, o) => links.proxyFor(g, o) : undefined)
    const launchStart = now()
    lag.begin('fleet-start')
    const ticker = setInterval(() => {
      const s = recorder.state
      const registered = [...s.nodes.values()].filter((n) => n.registered).length
      out.progress(
        `  starting fleet: ${s.nodes.size}/${nodeCount} started, ${registered} ${libp2p ? 'connected' : 'registered'} (${((now() - launchStart) / 1000).toFixed(1)} s)`,
      )
    }, 500)
    const launched = await Promise.race([
      fleet.launch(specs, { concurrency: plan.startConcurrency, timeoutMs: 120_000 + nodeCount * 20 }),
      new Promise<never>((_, reject) =>
        signal.addEventListener('abort', () => reject(new NetsimError('E_INTERRUPTED', 'interrupted')), { once: true }),
      ),
    ]).finally(() => clearInterval(ticker))
    lag.end()
    await opts.hooks?.fleetReady?.(fleet.pids)
    out.line(
      `  fleet: ${launched.started} nodes ${libp2p ? 'connected' : 'registered'}, ${launched.failed} failed, in ${((now() - launchStart) / 1000).toFixed(2)} s (${plan.workers} workers)`,
    )
    check()

    const ctx: StepContext = {
      plan,
      cluster,
      recorder,
      rng: rng.fork('steps'),
      lag,
      console: out,
      signal,
      timeouts: [],
      notes: [],
      active: new Map(),
      natsServerBin: binary ?? '',
      runDir,
      links,
      pendingHeals: new Set(),
      rotateToken: () => {
        const next = generateToken(plan.auth.style)
        redactor.add(next)
        return next
      },
    }
    for (const [i, step] of plan.timeline.entries()) {
      check()
      await runStep(ctx, step, i)
    }
    await Promise.all([...ctx.pendingHeals])
    await settleWorkloads(ctx)
    check()
    await fleet.stop()
    fleet = null
    await cluster.dispose()
    cluster = null

    const values = deriveMetrics(recorder.events)
    const summary = summarize(
      values,
      plan.groups.map((g) => g.name),
    )
    const assertions = checkAssertions(plan.assertions, summary)
    const passed = assertions.every((a) => a.ok) && ctx.timeouts.length === 0
    out.summary(summary)
    out.jobs(jobCounts(jobRecords(recorder.events)))
    out.errors(errorCounts(recorder.events))
    out.assertions(assertions)
    for (const t of ctx.timeouts) out.line(`FAIL ${t}`)
    const notes = ctx.notes ?? []
    for (const n of notes) out.line(`note ${n}`)
    const reportDir = await writeRunReport({
      dir: join(plan.reportsDir, plan.scenario.name, runId),
      runId,
      plan,
      events: recorder.events,
      values,
      summary,
      assertions,
      timeouts: ctx.timeouts,
      notes,
      passed,
      startedIso,
      durationMs: now() - recorder.startedAt,
      lag: lag.windows,
      binary,
    })
    return { runId, events: recorder.events, lag: lag.windows, plan, reportDir, summary, values, assertions, timeouts: ctx.timeouts, notes, passed }
  } catch (err) {
    // An error message may quote a server log or a URL: no secret leaves in it.
    if (err instanceof Error) err.message = redactor.redact(err.message)
    throw err
  } finally {
    await fleet?.dispose().catch(() => {})
    await cluster?.dispose().catch(() => {})
    await links?.dispose().catch(() => {})
    // netns: kills what still runs in the run's namespaces and deletes them, before the run dir goes
    await hosts
      .dispose()
      .catch((e: unknown) => out.line(`  (removing the run's ${hosts.backend} hosts failed: ${(e as Error).message}; \`netsim reap\` retries)`))
    killProcessesOfRun(runId) // anything that slipped through (a process started as the run was aborted)
    rmSync(runDir, { recursive: true, force: true })
  }
}
