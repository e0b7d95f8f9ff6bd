import type { Cluster } from '../core/cluster.ts'
import { NetsimError } from '../core/errors.ts'
import type { RawEvent } from '../core/events.ts'
import { ROGUE_HOST, type HostResources, type Hosts } from '../core/hosts.ts'
import type { Links } from '../core/links.ts'
import type { RunOutput } from '../core/output.ts'
import type { Recorder } from '../core/recorder.ts'
import type { Rng } from '../core/rng.ts'
import { isLinkFault } from '../faults/index.ts'
import type { ComputeFleet } from '../fleet/compute-fleet.ts'
import { Fleet } from '../fleet/fleet.ts'
import { GoFleet } from '../fleet/go-fleet.ts'
import type { FleetNodeSpec } from '../fleet/node-spec.ts'
import type { RunPlan } from '../plan/run-plan.ts'
import { killProcessesOfRun } from '../platform/run-dir.ts'
import { LOCAL_PLACEMENT } from '../platform/local-launch.ts'
import { stepKind } from '../steps/index.ts'
import { disposePrepared, type PreparedRun } from './prepare.ts'

/**
 * The started run: its hosts on the backend, the links (when the plan has link faults), the
 * orchestrators (a transport's Cluster) and the fleet. Disposing it tears down everything the
 * run started, whatever happened: the fleet, the cluster, the links, the hosts (netns: the
 * namespaces and what ran inside), any process still carrying the run id, and the run's dir.
 * It implements Symbol.asyncDispose for `await using`, which Node 22 cannot parse yet: the run
 * calls dispose() in a `finally`.
 */
export class StartedRun implements AsyncDisposable {
  readonly prepared: PreparedRun
  hosts: Hosts | null = null
  links: Links | null = null
  cluster: Cluster | null = null
  fleet: ComputeFleet | null = null

  private constructor(prepared: PreparedRun) {
    this.prepared = prepared
  }

  /** The spare hosts the plan needs: one for a rogue orchestrator when a step starts one. */
  static spares(plan: RunPlan): string[] {
    const extra = plan.timeline.some((s) => (stepKind(s.kind).requires?.(s) ?? []).some((r) => r.of === 'backend' && r.capability === 'extra-server'))
    return extra ? [ROGUE_HOST] : []
  }

  /** What each host may use: the plan's `resources:` of the orchestrators (each) and of each group. */
  static resources(plan: RunPlan, orchestrators: string[]): Record<string, HostResources> {
    const out: Record<string, HostResources> = {}
    const o = plan.orchestrators.resources
    if (o !== undefined) for (const name of orchestrators) out[name] = o
    for (const g of plan.groups) if (g.resources !== undefined) out[g.name] = g.resources
    return out
  }

  /** Whether any step may apply a link fault: then the backend's links are set up. */
  static usesLinks(plan: RunPlan): boolean {
    return plan.timeline.some((s) => (stepKind(s.kind).faults?.(s) ?? []).some((f) => isLinkFault(f.type)))
  }

  /** Hosts, links and orchestrators; the caller disposes the returned run even when this fails half way. */
  static async start(
    prepared: PreparedRun,
    plan: RunPlan,
    deps: { recorder: Recorder; rng: Rng },
    started: (run: StartedRun) => void,
  ): Promise<StartedRun> {
    const run = new StartedRun(prepared)
    started(run)
    const { runId } = prepared
    const names = Array.from({ length: plan.orchestrators.max }, (_, i) => `orch-${i}`)
    const hosts = await prepared.backend.prepare({
      runId,
      orchestrators: names,
      groups: plan.groups.map((g) => g.name),
      spares: StartedRun.spares(plan),
      runDir: prepared.runDir,
      ...(prepared.binary === null ? {} : { serverBinary: prepared.binary }),
      resources: StartedRun.resources(plan, names),
    })
    run.hosts = hosts
    if (StartedRun.usesLinks(plan)) {
      const links = hosts.links({
        runId,
        groups: plan.groups.map((g) => g.name),
        seed: plan.seed,
        connected: (g, o) => deps.recorder.state.connectedTo(g, o).size,
      })
      run.links = links
      deps.recorder.aliases = links.aliases
    }
    run.cluster = await prepared.transport.start(plan, {
      runId,
      runDir: prepared.runDir,
      record: (e) => deps.recorder.recordBatch([e]),
      placement: (h) => hosts.placement(h),
      links: run.links,
      secrets: prepared.secrets,
      rng: deps.rng,
      binary: prepared.binary,
    })
    return run
  }

  /** The fleet's processes (simulated workers or the nats.go reference client; each group's on its host), then every node's spec launched. */
  async launchFleet(
    plan: RunPlan,
    deps: { recorder: Recorder; rng: Rng; out: RunOutput; signal: AbortSignal },
    hooks: { spawned?: (pids: number[]) => void | Promise<void> } = {},
  ) {
    const cluster = this.cluster as Cluster
    const hosts = this.hosts as Hosts
    const nodeCount = plan.groups.reduce((a, g) => a + g.count, 0)
    const placed = plan.groups.map((g) => ({ name: g.name, count: g.count, placement: hosts.placement(g.name) }))
    const groups = placed.every((g) => g.placement === undefined)
      ? undefined
      : placed.map((g) => ({ name: g.name, count: g.count, placement: g.placement ?? LOCAL_PLACEMENT }))
    const onEvents = (es: RawEvent[]) => deps.recorder.recordBatch(es)
    const goref = this.prepared.goref
    if (plan.client === 'nats.go' && goref === null) throw new NetsimError('E_GOREF_UNAVAILABLE', 'the run was prepared without its reference client')
    const fleet: ComputeFleet =
      goref !== null
        ? GoFleet.start({ runId: this.prepared.runId, binary: goref, seed: plan.seed, onEvents, ...(groups ? { groups } : {}) })
        : await Fleet.start({
            runId: this.prepared.runId,
            workers: Math.min(plan.workers, Math.max(1, nodeCount)),
            onEvents,
            ...(groups ? { groups } : {}),
          })
    this.fleet = fleet
    await hooks.spawned?.(fleet.pids)
    const members = cluster.members.map((o) => ({ name: o.name, client: o.clientHostPort }))
    const links = this.links
    const specs = this.prepared.transport.nodeSpecs(plan, members, {
      secrets: this.prepared.secrets,
      rng: deps.rng.fork('nodes'),
      addressFor: (g, o, client) => links?.addressFor(g, o) ?? client,
    }) as FleetNodeSpec[]
    return fleet.launch(specs, { concurrency: plan.startConcurrency, timeoutMs: 120_000 + nodeCount * 20, signal: deps.signal })
  }

  /** A restart_nodes step: the group's nodes stopped and started again in their workers. */
  async restartNodes(
    group: string,
    opts: { keepLock: boolean; concurrency: number; timeoutMs: number },
  ): Promise<{ restarted: number; failed: number }> {
    if (this.fleet === null) return { restarted: 0, failed: 0 }
    // (refused at plan time for the nats.go reference client: sim/config/resolve-client.ts)
    if (this.fleet.restart === undefined)
      throw new NetsimError('E_UNSUPPORTED', `restart_nodes: the ${this.fleet.client} client cannot restart its nodes`)
    return this.fleet.restart(group, opts)
  }

  /** The timeline is over: nodes stop (each records `node.stopped`), then the orchestrators go. */
  async finish(): Promise<void> {
    await this.fleet?.stop()
    this.fleet = null
    await this.cluster?.dispose()
    this.cluster = null
  }

  /** Tears everything down, in order; never throws (a failure to remove something is reported, `netsim reap` retries). */
  async dispose(out?: RunOutput): Promise<void> {
    const step = async (what: string, f: (() => Promise<unknown>) | undefined) => {
      try {
        await f?.()
      } catch (e) {
        out?.line(`  (removing the run's ${what} failed: ${(e as Error).message}; \`netsim reap\` retries)`)
      }
    }
    await step('compute workers', this.fleet ? () => (this.fleet as ComputeFleet).dispose() : undefined)
    await step('orchestrators', this.cluster ? () => (this.cluster as Cluster).dispose() : undefined)
    await step('links', this.links ? () => (this.links as Links).dispose() : undefined)
    // netns: kills what still runs in the run's namespaces and deletes them, before the run dir goes
    await step(`${this.hosts?.backend ?? ''} hosts`, this.hosts ? () => (this.hosts as Hosts).dispose() : undefined)
    // anything that slipped through (a process started as the run was aborted)
    await step('processes', () => killProcessesOfRun(this.prepared.runId))
    await disposePrepared(this.prepared)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose()
  }
}
