import type { RawEvent } from '../../../core/events.ts'
import { NetsimError } from '../../../core/errors.ts'
import type { RestartOptions, RogueResult, RoutedCluster, QuietCluster } from '../../../core/cluster.ts'
import { probeWithRogueServer } from './rogue.ts'
import { Wait, waitFor } from '../../../core/wait.ts'
import { monitor } from '../server-process.ts'
import { Orchestrator, type OrchestratorSpec } from './orchestrator.ts'
import type { Placement } from '../../../core/placement.ts'

/**
 * The orchestrators of a run: a plain NATS full mesh (docs/design.md). Ports are ephemeral, so
 * the first server starts alone and the others start with a route to it; gossip completes the
 * mesh. `/healthz` answers before routes exist, so readiness of the cluster is `/routez`.
 */
export class OrchestratorCluster implements RoutedCluster, QuietCluster {
  readonly #members: Orchestrator[] = []
  readonly #makeSpec: (name: string, joined: boolean) => OrchestratorSpec
  readonly #record: (e: RawEvent) => void
  /** where a rogue server would run: the run's spare host (undefined: a plain process here) */
  readonly #spare: () => Placement | undefined
  #verbose = false

  private constructor(
    makeSpec: (name: string, joined: boolean) => OrchestratorSpec,
    record: (e: RawEvent) => void,
    spare: () => Placement | undefined,
  ) {
    this.#makeSpec = makeSpec
    this.#record = record
    this.#spare = spare
  }

  static async start(
    count: number,
    makeSpec: (name: string, joined: boolean) => OrchestratorSpec,
    record: (e: RawEvent) => void,
    spare: () => Placement | undefined = () => undefined,
  ): Promise<OrchestratorCluster> {
    const c = new OrchestratorCluster(makeSpec, record, spare)
    try {
      const first = await Orchestrator.start(makeSpec('orch-0', false), [], record)
      c.#members.push(first)
      const seed = first.clusterHostPort === undefined ? [] : [first.clusterHostPort]
      const rest = await Promise.allSettled(
        Array.from({ length: count - 1 }, (_, i) => Orchestrator.start(makeSpec(`orch-${i + 1}`, false), seed, record)),
      )
      for (const r of rest) if (r.status === 'fulfilled') c.#members.push(r.value)
      const failed = rest.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      c.#members.sort((a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5)))
      await c.waitForMesh()
      return c
    } catch (err) {
      await c.dispose()
      throw err
    }
  }

  get members(): readonly Orchestrator[] {
    return this.#members
  }
  live(): Orchestrator[] {
    return this.#members.filter((o) => o.state === 'up')
  }
  get(name: string): Orchestrator | undefined {
    return this.#members.find((o) => o.name === name)
  }

  /** Cluster addresses of the other live members: the routes a (re)starting member is given. */
  routesFor(name: string): string[] {
    return this.live()
      .filter((o) => o.name !== name)
      .map((o) => o.clusterHostPort)
      .filter((r): r is string => r !== undefined)
  }

  /** Every heartbeat as an event from now on, on every member, present and future. */
  setVerbose(on: boolean): void {
    this.#verbose = on
    for (const o of this.#members) o.setVerbose(on)
  }

  /** Adds an orchestrator to the running cluster (a scale step). */
  async add(): Promise<Orchestrator> {
    const name = `orch-${this.#members.length}`
    const o = await Orchestrator.start(this.#makeSpec(name, true), this.routesFor(name), this.#record)
    o.setVerbose(this.#verbose)
    this.#members.push(o)
    await this.waitForMesh()
    return o
  }

  async restart(name: string, opts: RestartOptions = {}): Promise<void> {
    const o = this.get(name)
    if (!o) throw new NetsimError('E_FAULT_TARGET', `no orchestrator named ${name}`)
    await o.restart(this.routesFor(name), opts.token)
    await this.waitForMesh()
  }

  /** The rogue-orchestrator probe (rogue.ts): a server of nobody's routes to a live member and listens. */
  async probeRogue(windowMs: number): Promise<RogueResult | null> {
    const o = this.live().find((m) => m.clusterHostPort !== undefined && m.spec.cluster !== undefined)
    if (o === undefined) return null
    const placement = this.#spare()
    return probeWithRogueServer({
      runId: o.spec.runId,
      ...(placement ? { placement } : {}),
      binary: o.spec.binary,
      dir: o.spec.dir,
      cluster: o.spec.cluster as string,
      route: o.clusterHostPort as string,
      windowMs,
    })
  }

  /** Every member down at once, then back on its old ports (optionally with a new token):
   *  the first alone, the rest routed to it, as at start. */
  async restartAll(opts: RestartOptions = {}): Promise<void> {
    const { token } = opts
    await Promise.all(this.#members.filter((o) => o.state !== 'down').map((o) => o.kill()))
    const [first, ...rest] = this.#members
    if (!first) return
    await first.restart([], token)
    const seed = first.clusterHostPort === undefined ? [] : [first.clusterHostPort]
    await Promise.all(rest.map((o) => o.restart(seed, token)))
    await this.waitForMesh()
  }

  /** Until every live server has a route to every other live server (`/routez`, E_TIMEOUT naming each one's count). */
  async waitForMesh(timeoutMs = 15_000): Promise<void> {
    const live = this.live().filter((o) => o.clusterHostPort !== undefined)
    if (live.length < 2) return
    const routes = (o: Orchestrator) =>
      monitor<{ routes?: { remote_id: string }[] }>(o.server, '/routez').then(
        (r) => new Set((r.routes ?? []).map((x) => x.remote_id)).size,
        () => 0,
      )
    const mesh = Wait.forCondition(
      `a full route mesh of ${live.length} orchestrators`,
      () => Promise.all(live.map(routes)),
      (counts) => counts.every((n) => n >= live.length - 1),
      (counts) => `routes per server: ${live.map((o, i) => `${o.name}=${counts[i]}`).join(', ')}`,
    )
    await waitFor(mesh, { timeoutMs })
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#members.map((o) => o.dispose()))
  }
}
