import type { PlanStep, RunPlan } from '../config/run-plan.ts'
import { NetsimError } from '../errors.ts'
import { sleep } from '../clock.ts'
import type { Rng } from '../rng.ts'
import type { OrchestratorCluster } from '../orchestrator/cluster.ts'
import type { ConsoleReporter } from '../report/console.ts'
import type { Recorder } from './recorder.ts'
import type { LagMonitor } from './lag-monitor.ts'
import { evaluate } from './conditions.ts'
import { probeWithRogueServer } from '../orchestrator/rogue.ts'

export interface StepContext {
  plan: RunPlan
  cluster: OrchestratorCluster
  recorder: Recorder
  rng: Rng
  lag: LagMonitor
  console: ConsoleReporter
  signal: AbortSignal
  /** wait_for steps that ran out of time: a failed check, the run goes on */
  timeouts: string[]
  /** orchestrators currently under a fault that `heal` undoes */
  active: Map<string, string>
  /** a restart with rotate_token: make the new token (and teach the redactor), return it */
  rotateToken: () => string
  /** for the rogue-orchestrator probe */
  natsServerBin: string
  runDir: string
}

const resolveTarget = (ctx: StepContext, target: string): string => {
  if (target === 'busiest') {
    const b = ctx.recorder.state.busiest()
    if (b === null) throw new NetsimError('E_ORCHESTRATOR', 'no live orchestrator to target')
    return b
  }
  if (target === 'random') {
    const live = ctx.cluster.live()
    if (live.length === 0) throw new NetsimError('E_ORCHESTRATOR', 'no live orchestrator to target')
    return (live[ctx.rng.int(live.length)] as { name: string }).name
  }
  return target
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
    case 'wait_for': {
      const heartbeats = ctx.plan.timers.heartbeat_interval !== null && ctx.plan.heartbeatSubjects.length > 0
      const status = () => evaluate(step.condition, recorder.state, { heartbeats })
      const started = Date.now()
      ctx.lag.begin(step.condition)
      ok = await recorder.waitUntil(() => status().pending === 0, {
        timeoutMs: step.timeoutMs,
        signal: ctx.signal,
        onTick: () => {
          const s = status()
          ctx.console.progress(`  ${step.condition}: ${s.total - s.pending}/${s.total} nodes (${((Date.now() - started) / 1000).toFixed(1)} s)`)
        },
      })
      ctx.lag.end()
      const s = status()
      if (ok) ctx.console.line(`  ${step.condition}: ${s.total}/${s.total} nodes in ${((Date.now() - started) / 1000).toFixed(2)} s`)
      else {
        ctx.timeouts.push(`${step.text}: ${s.pending} of ${s.total} nodes still pending`)
        ctx.console.line(`  ${step.condition}: TIMEOUT after ${(step.timeoutMs / 1000).toFixed(1)} s, ${s.pending} of ${s.total} nodes pending`)
      }
      break
    }
    case 'fault': {
      const name = resolveTarget(ctx, step.target)
      const o = cluster.get(name)
      if (!o || o.state !== 'up') throw new NetsimError('E_ORCHESTRATOR', `step ${index} (${step.text}): ${name} is not up`)
      // Recorded before the signal, so every metric counts from the moment of the fault.
      recorder.note('fault.apply', { orch: name, data: { type: step.type, target_kind: 'orchestrator', id: `f${index}` } })
      ctx.console.line(`  fault: ${step.type} ${name} (${recorder.state.faults.at(-1)?.affected.size ?? 0} nodes connected to it)`)
      if (step.type === 'kill') await o.kill()
      else if (step.type === 'stop') await o.stop()
      else if (step.type === 'freeze') o.freeze()
      else o.lameDuck()
      ctx.active.set(name, step.type)
      break
    }
    case 'heal': {
      const names = step.target === 'all' ? [...ctx.active.keys()] : [step.target]
      for (const name of names) {
        const type = ctx.active.get(name)
        if (type === undefined) continue
        // A frozen orchestrator thaws; a killed or stopped one stays down (restart brings it back).
        if (type === 'freeze') cluster.get(name)?.thaw()
        recorder.note('fault.heal', { orch: name, data: { type } })
        ctx.active.delete(name)
      }
      break
    }
    case 'restart': {
      const token = step.rotateToken ? ctx.rotateToken() : undefined
      const names = step.target === 'all' ? cluster.members.map((o) => o.name) : [resolveTarget(ctx, step.target)]
      // A restart is a fault for the nodes on it: failover metrics count from here.
      for (const name of names) recorder.note('fault.apply', { orch: name, data: { type: step.rotateToken ? 'restart-new-token' : 'restart', target_kind: 'orchestrator', id: `f${index}` } })
      ctx.console.line(`  restart ${names.join(', ')}${token === undefined ? '' : ' with a new token'}`)
      if (step.target === 'all') await cluster.restartAll(token)
      else await cluster.restart(names[0] as string, token)
      for (const name of names) ctx.active.delete(name)
      break
    }
    case 'rogue_orchestrator': {
      const member = cluster.live().find((o) => o.clusterHostPort !== undefined)
      if (!member) throw new NetsimError('E_ORCHESTRATOR', `step ${index} (${step.text}): no clustered orchestrator is up`)
      const r = await probeWithRogueServer({ binary: ctx.natsServerBin, dir: ctx.runDir, cluster: member.spec.cluster as string, route: member.clusterHostPort as string, windowMs: step.windowMs })
      recorder.note('rogue.result', { data: { joined: r.joined, messages: r.messages, first_ms: r.firstMs, route_auth: ctx.plan.auth.routeAuth, subjects: r.subjects } })
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
  }
  recorder.note('step.end', { data: { index, step: step.text, ok } })
}
