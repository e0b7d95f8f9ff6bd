import type { RawEvent } from '../../../core/events.ts'
import { NetsimError, isNetsimError } from '../../../core/errors.ts'
import type { MembershipCluster, MembershipPlacement, RestartOptions, RogueResult, RoutedCluster, QuietCluster } from '../../../core/cluster.ts'
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
export class OrchestratorCluster implements RoutedCluster, QuietCluster, MembershipCluster {
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
      // Servers first, control planes once JetStream can form: each control plane opens the
      // membership bucket, which a clustered JetStream serves only once a quorum of its servers
      // is up. The first server has no peer to route to yet: JetStream comes on by a reload.
      const firstSpec = makeSpec('orch-0', false)
      const clustered = firstSpec.cluster !== undefined
      const first = await Orchestrator.startServer(firstSpec, [], record, { jetstream: !clustered })
      c.#members.push(first)
      const seed = first.clusterHostPort === undefined ? [] : [first.clusterHostPort]
      const rest = await Promise.allSettled(
        Array.from({ length: count - 1 }, (_, i) => Orchestrator.startServer(makeSpec(`orch-${i + 1}`, false), seed, record)),
      )
      for (const r of rest) if (r.status === 'fulfilled') c.#members.push(r.value)
      const failed = rest.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      c.#members.sort((a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5)))
      if (clustered) {
        // The first joins a JetStream cluster the others have formed (with one other there is
        // nothing to form: a lone peer elects no leader). Joining while they still bootstrap
        // could leave it out of their metadata group: a 3-replica bucket then found "no
        // suitable peers" for good.
        const others = c.#members.filter((o) => o !== first)
        if (others.length >= 2) await c.waitForJetStream(others)
        await first.enableJetStream(c.routesFor(first.name))
      }
      await c.waitForMesh()
      if (clustered) await c.#formJetStream(first)
      await Promise.all(c.#members.map((o) => o.startControlPlane()))
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

  /**
   * Cluster addresses of the other members, up or not: the routes a (re)starting member is given,
   * as a Bacalhau orchestrator is configured with its peers. A route to a member that is down
   * is retried until it is back; clustered JetStream refuses to start with no route at all.
   */
  routesFor(name: string): string[] {
    return this.#members
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
    const o = await Orchestrator.startServer(this.#makeSpec(name, true), this.routesFor(name), this.#record)
    o.setVerbose(this.#verbose)
    this.#members.push(o)
    await this.waitForMesh()
    if (o.spec.cluster !== undefined) await this.waitForJetStream(this.#members.filter((m) => m.state !== 'frozen' && m.serverRunning))
    await o.startControlPlane()
    return o
  }

  async restart(name: string, opts: RestartOptions = {}): Promise<void> {
    const o = this.get(name)
    if (!o) throw new NetsimError('E_FAULT_TARGET', `no orchestrator named ${name}`)
    await o.restartServer(this.routesFor(name), opts.token)
    await this.waitForMesh()
    await o.startControlPlane()
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

  /** Every member down at once, then back on its old ports (optionally with a new token): every
   *  server, routed to the others, then every control plane (JetStream needs a quorum first). */
  async restartAll(opts: RestartOptions = {}): Promise<void> {
    const { token } = opts
    const up = this.#members.filter((o) => o.state !== 'down')
    // Every one down at the same instant: kill() records an event between its signal and the
    // next member's, and in those milliseconds a node that lost one server reconnected to
    // another still running with the old token (bad-token counted it as a reconnect).
    await Promise.all(up.map((o) => o.signal('SIGKILL')))
    await Promise.all(up.map((o) => o.kill()))
    await Promise.all(this.#members.map((o) => o.restartServer(this.routesFor(o.name), token)))
    await this.waitForMesh()
    if (this.#members[0]?.spec.cluster !== undefined) await this.waitForJetStream(this.#members)
    await Promise.all(this.#members.map((o) => o.startControlPlane()))
  }

  /**
   * The metadata group of a starting cluster. nats-server 2.9 can leave the first server, whose
   * JetStream came on by a reload, outside the group its peer formed: seen in CI with two
   * orchestrators, one naming the other its leader and the other naming none, for 30 s and on.
   * Restarted with JetStream on from its start and its routes known (as every later restart is),
   * it joins. The restart shows in the run's events as the first server going down and starting
   * again before the timeline.
   */
  async #formJetStream(first: Orchestrator): Promise<void> {
    try {
      await this.waitForJetStream(this.#members, 15_000)
    } catch (err) {
      if (!isNetsimError(err, 'E_TIMEOUT')) throw err
      await first.kill() // not `up` yet (no control plane): restartServer alone would not stop it
      await first.restartServer(this.routesFor(first.name))
      await this.waitForMesh()
      await this.waitForJetStream(this.#members)
    }
  }

  /**
   * Until every one of `servers` reports, on `/jsz`, a JetStream metadata leader and a metadata
   * group of all of them (E_TIMEOUT naming what each reported). The membership bucket is
   * placed by that group: a 3-replica bucket needs three peers in it.
   */
  async waitForJetStream(servers: readonly Orchestrator[], timeoutMs = 30_000): Promise<void> {
    type Jsz = { meta_cluster?: { leader?: string; cluster_size?: number } }
    const seen = (o: Orchestrator) =>
      monitor<Jsz>(o.server, '/jsz').then(
        (j) => ({ leader: j.meta_cluster?.leader ?? '', size: j.meta_cluster?.cluster_size ?? 0 }),
        () => ({ leader: '', size: 0 }),
      )
    const formed = Wait.forCondition(
      `a JetStream metadata group of ${servers.length} servers with a leader`,
      () => Promise.all(servers.map(seen)),
      (views) => views.every((v) => v.leader !== '' && v.size >= servers.length),
      (views) => `seen: ${servers.map((o, i) => `${o.name} leader=${views[i]?.leader || 'none'} size=${views[i]?.size}`).join(', ')}`,
    )
    await waitFor(formed, { timeoutMs })
  }

  /** Until every live server has a route to every other live server (`/routez`, E_TIMEOUT naming each one's count). */
  async waitForMesh(timeoutMs = 15_000): Promise<void> {
    // servers up (control planes may not be yet); a frozen one cannot answer /routez
    const live = this.#members.filter((o) => o.serverRunning && o.state !== 'frozen' && o.clusterHostPort !== undefined)
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

  /**
   * Which servers hold the membership bucket's stream (`KV_<bucket>`) and which leads it, from
   * the live servers' monitoring (`/jsz`): each lists the streams it holds a replica of, with
   * the leader's server name, which is the orchestrator's. A lone server (no cluster) holds it
   * alone. Null when no live server holds it.
   */
  async membershipPlacement(): Promise<MembershipPlacement | null> {
    const first = this.#members[0]
    if (first === undefined) return null
    const { bucket, replicas } = first.spec.controlPlane.membership
    const stream = `KV_${bucket}`
    type Jsz = { account_details?: { stream_detail?: { name: string; cluster?: { leader?: string } }[] }[] }
    const holders: string[] = []
    let leader: string | null = null
    for (const o of this.live()) {
      const jsz = await monitor<Jsz>(o.server, '/jsz?accounts=true&streams=true').catch(() => null)
      const detail = jsz?.account_details?.flatMap((a) => a.stream_detail ?? []).find((d) => d.name === stream)
      if (detail === undefined) continue
      holders.push(o.name)
      leader = detail.cluster?.leader ?? (o.spec.cluster === undefined ? o.name : leader)
    }
    return holders.length === 0 ? null : { bucket, replicas, leader, holders }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#members.map((o) => o.dispose()))
  }
}
