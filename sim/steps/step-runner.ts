import type { PlanFault, PlanStep, RunPlan } from '../config/run-plan.ts'
import { NetsimError } from '../core/errors.ts'
import { sleep } from '../core/clock.ts'
import type { Rng } from '../core/rng.ts'
import { OrchestratorCluster } from '../transports/nats/orchestrator/cluster.ts'
import type { RunCluster, RunMember } from '../core/cluster.ts'
import { bidFailures } from '../metrics/bids.ts'
import type { LinkLayer } from '../backends/process/links/link-layer.ts'
import type { ConsoleReporter } from '../report/console.ts'
import type { Recorder } from '../core/recorder.ts'
import type { LagMonitor } from '../platform/lag-monitor.ts'
import { evaluate } from './conditions.ts'
import type { Condition } from './steps.ts'
import { probeWithRogueServer } from '../transports/nats/orchestrator/rogue.ts'
import { applyFault, type ActiveFault } from '../faults/apply-fault.ts'
import { JobWorkload } from '../jobs/workload.ts'

export interface StepContext {
  plan: RunPlan
  /** NATS: OrchestratorCluster; libp2p: Libp2pCluster */
  cluster: RunCluster
  links: LinkLayer | null
  recorder: Recorder
  rng: Rng
  lag: LagMonitor
  console: ConsoleReporter
  signal: AbortSignal
  /** wait_for steps that ran out of time, and chaos invariants broken: failed checks, the run goes on */
  timeouts: string[]
  /** wait_for steps with `on_timeout: note` that ran out of time: reported, not failed */
  notes?: string[]
  /** faults not yet healed, by id */
  active: Map<string, ActiveFault>
  /** heals scheduled by a fault's duration, awaited at the end of the timeline */
  pendingHeals: Set<Promise<void>>
  /** a restart with rotate_token: make the new token (and teach the redactor), return it */
  rotateToken: () => string
  /** job workloads started by `jobs` steps: they run beside the timeline, settled at its end */
  workloads?: JobWorkload[]
  /** for the rogue-orchestrator probe */
  natsServerBin: string
  runDir: string
}

/** Waits for a condition; false (and a recorded failure, or a note) when time runs out. */
const waitFor = async (
  ctx: StepContext,
  condition: Condition,
  timeoutMs: number,
  label: string,
  onTimeout: 'fail' | 'note' = 'fail',
): Promise<boolean> => {
  const { recorder } = ctx
  // libp2p nodes gossip their node info on a schedule whatever the profile: that is their heartbeat.
  const libp2p = ctx.plan.transport === 'libp2p'
  const sends = new Map(ctx.plan.groups.map((g) => [g.name, libp2p || (g.timers.heartbeat_interval !== null && g.heartbeatSubjects.length > 0)]))
  const status = () => evaluate(condition, recorder.state, { heartbeats: (group) => sends.get(group) ?? false })
  const started = Date.now()
  ctx.lag.begin(label)
  const ok = await recorder.waitUntil(() => status().pending === 0, {
    timeoutMs,
    signal: ctx.signal,
    onTick: () => {
      const s = status()
      ctx.console.progress(`  ${condition}: ${s.total - s.pending}/${s.total} nodes (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    },
  })
  ctx.lag.end()
  const s = status()
  if (ok) ctx.console.line(`  ${condition}: ${s.total}/${s.total} nodes in ${((Date.now() - started) / 1000).toFixed(2)} s`)
  else if (onTimeout === 'note') {
    const note = `${label}: ${s.pending} of ${s.total} nodes still pending after ${(timeoutMs / 1000).toFixed(1)} s${s.examples?.length ? ` (${s.examples.join('; ')})` : ''}`
    ;(ctx.notes ??= []).push(note)
    ctx.console.line(
      `  ${condition}: not reached in ${(timeoutMs / 1000).toFixed(1)} s, ${s.pending} of ${s.total} nodes pending (noted, not a failure: on_timeout: note)`,
    )
  } else {
    ctx.timeouts.push(
      `${label}: ${s.pending} of ${s.total} nodes still pending after ${(timeoutMs / 1000).toFixed(1)} s${s.examples?.length ? ` (${s.examples.join('; ')})` : ''}`,
    )
    ctx.console.line(`  ${condition}: TIMEOUT after ${(timeoutMs / 1000).toFixed(1)} s, ${s.pending} of ${s.total} nodes pending`)
  }
  return ok
}

const startFault = async (ctx: StepContext, fault: PlanFault, id: string): Promise<ActiveFault> => {
  ctx.cluster.setVerbose(true) // from the first fault on, every heartbeat may be a resume
  const active = await applyFault({ cluster: ctx.cluster, links: ctx.links, recorder: ctx.recorder, rng: ctx.rng, seed: ctx.plan.seed }, fault, id)
  ctx.active.set(id, active)
  ctx.console.line(`  fault: ${active.description}`)
  return active
}

const heal = async (ctx: StepContext, f: ActiveFault): Promise<void> => {
  if (!ctx.active.delete(f.id)) return
  await f.heal()
  ctx.console.line(`  heal: ${f.type} (${f.id})`)
}

/**
 * A job-style call (the dispatcher's AskForBid): each asking orchestrator calls every node that
 * started, at once; every call is an `orch.bid` event and a value (or a missing one) of the
 * step's metric. Failing calls are findings, not a failed step: the assertions judge them.
 */
const askForBid = async (ctx: StepContext, step: Extract<PlanStep, { kind: 'ask_for_bid' }>): Promise<boolean> => {
  const { cluster, recorder } = ctx
  const live = cluster.live()
  let askers: RunMember[]
  if (step.from === 'all') askers = live
  else {
    const name =
      step.from === 'busiest'
        ? recorder.state.busiest()
        : step.from === 'random'
          ? (live[ctx.rng.int(Math.max(1, live.length))]?.name ?? null)
          : step.from
    askers = live.filter((o) => o.name === name)
  }
  if (askers.length === 0) {
    ctx.console.line(`  ask_for_bid: no live orchestrator to ask (${step.from})`)
    return false
  }
  const nodes = [...recorder.state.nodes].filter(([, n]) => n.registered).map(([id]) => id)
  const from = recorder.events.length
  const started = Date.now()
  ctx.lag.begin(`ask_for_bid ${step.metric}`)
  const tallies = await Promise.all(askers.map((o) => o.askForBid(nodes, step.timeoutMs, step.metric)))
  ctx.lag.end()
  const asked = tallies.reduce((a, t) => a + t.asked, 0)
  const answered = tallies.reduce((a, t) => a + t.ok, 0)
  const failures = bidFailures(recorder.events, from)
  const failed = failures.map((f) => `${f.group} ${f.count} ${f.code}`).join(', ')
  ctx.console.line(
    `  ask_for_bid (${step.metric}) from ${askers.map((o) => o.name).join(', ')} to ${nodes.length} nodes: ${answered}/${asked} answered in ${((Date.now() - started) / 1000).toFixed(2)} s${failed ? `; failed: ${failed}` : ''}`,
  )
  return true
}

/**
 * The end of the timeline for job workloads: stop submitting, wait for outcomes up to each
 * one's budget, and say how it went (the metrics say why jobs were lost).
 */
export const settleWorkloads = async (ctx: StepContext): Promise<void> => {
  for (const w of ctx.workloads ?? []) w.stopSubmitting()
  for (const [k, w] of (ctx.workloads ?? []).entries()) {
    const started = Date.now()
    ctx.console.progress(`  jobs: waiting for outcomes`)
    const t = await w.settle(ctx.signal)
    ctx.console.line(
      `  jobs${(ctx.workloads ?? []).length > 1 ? ` #${k + 1}` : ''}: ${t.submitted} submitted, ${t.completed} completed, ${t.failed} failed, ${t.open} without an outcome (waited ${((Date.now() - started) / 1000).toFixed(1)} s)`,
    )
  }
}

/** Runs one timeline step. */
export const runStep = async (ctx: StepContext, step: PlanStep, index: number): Promise<void> => {
  const { recorder, cluster } = ctx
  recorder.note('step.start', { data: { index, step: step.text } })
  let ok = true
  switch (step.kind) {
    case 'wait':
      await sleep(step.ms, ctx.signal)
      break
    case 'wait_for':
      ok = await waitFor(ctx, step.condition, step.timeoutMs, step.condition, step.onTimeout ?? 'fail')
      break
    case 'ask_for_bid':
      ok = await askForBid(ctx, step)
      break
    case 'fault': {
      const f = await startFault(ctx, step.fault, `f${index}`)
      if (step.fault.durationMs !== undefined) {
        // Heals by itself, while the timeline goes on (a wait_for can watch the fault).
        const p = sleep(step.fault.durationMs, ctx.signal)
          .then(() => heal(ctx, f))
          .catch(() => {})
          .finally(() => ctx.pendingHeals.delete(p))
        ctx.pendingHeals.add(p)
      }
      break
    }
    case 'heal': {
      const targets = [...ctx.active.values()].filter((f) => step.target === 'all' || f.targets.includes(step.target))
      for (const f of targets) await heal(ctx, f)
      break
    }
    case 'chaos': {
      const start = Date.now()
      for (const [k, entry] of step.schedule.entries()) {
        await sleep(Math.max(0, start + entry.atMs - Date.now()), ctx.signal)
        const f = await startFault(ctx, entry.fault, `c${index}.${k}`)
        await sleep(entry.fault.durationMs, ctx.signal)
        await heal(ctx, f)
        // The invariant: every node back within the budget after each heal.
        if (!(await waitFor(ctx, 'recovered', step.recoverWithinMs, `chaos fault ${k} (${entry.fault.type})`))) ok = false
      }
      break
    }
    case 'restart': {
      const token = step.rotateToken ? ctx.rotateToken() : undefined
      cluster.setVerbose(true)
      const names =
        step.target === 'all' ? cluster.members.map((o) => o.name) : [step.target === 'busiest' ? (recorder.state.busiest() as string) : step.target]
      // A restart is a fault for the nodes on it: failover metrics count from here.
      for (const name of names)
        recorder.note('fault.apply', {
          orch: name,
          data: { type: step.rotateToken ? 'restart-new-token' : 'restart', target_kind: 'orchestrator', id: `f${index}` },
        })
      ctx.console.line(`  restart ${names.join(', ')}${token === undefined ? '' : ' with a new token'}`)
      if (step.target === 'all') await cluster.restartAll(token)
      else await cluster.restart(names[0] as string, token)
      break
    }
    case 'rogue_orchestrator': {
      // NATS only (libp2p plans refuse the step before the run starts).
      if (!(cluster instanceof OrchestratorCluster))
        throw new NetsimError('E_ORCHESTRATOR', `step ${index} (${step.text}): a rogue orchestrator needs NATS cluster routes`)
      const member = cluster.live().find((o) => o.clusterHostPort !== undefined)
      if (!member) throw new NetsimError('E_ORCHESTRATOR', `step ${index} (${step.text}): no clustered orchestrator is up`)
      const r = await probeWithRogueServer({
        binary: ctx.natsServerBin,
        dir: ctx.runDir,
        cluster: member.spec.cluster as string,
        route: member.clusterHostPort as string,
        windowMs: step.windowMs,
      })
      recorder.note('rogue.result', {
        data: { joined: r.joined, messages: r.messages, first_ms: r.firstMs, route_auth: ctx.plan.auth.routeAuth, subjects: r.subjects },
      })
      ctx.console.line(
        `  rogue orchestrator: ${r.joined ? 'JOINED the cluster' : 'could not join the cluster'}, saw ${r.messages} messages${r.subjects.length ? ` (${r.subjects.slice(0, 4).join(', ')})` : ''}`,
      )
      break
    }
    case 'scale':
      while (cluster.members.length < step.orchestrators) {
        const o = await cluster.add()
        ctx.console.line(`  scale: ${o.name} joined at ${o.clientHostPort}`)
      }
      break
    case 'mark':
      recorder.note('mark', { data: { name: step.name } })
      break
    case 'jobs': {
      const w = new JobWorkload(step.jobs, { cluster, recorder, rng: ctx.rng.fork(`jobs-${index}`), prefix: `j${index}-` })
      ;(ctx.workloads ??= []).push(w)
      w.start()
      ctx.console.line(`  ${step.text}`)
      break
    }
  }
  recorder.note('step.end', { data: { index, step: step.text, ok } })
}
