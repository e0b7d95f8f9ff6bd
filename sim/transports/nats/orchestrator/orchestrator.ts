import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../../core/events.ts'
import type { LameDuckMember } from '../../../core/cluster.ts'
import { now } from '../../../core/clock.ts'
import { NetsimError } from '../../../core/errors.ts'
import { NatsServer, type ServerPorts } from '../server-process.ts'
import { AgentProcess } from '../../../platform/agent-process.ts'
import { LOCAL_PLACEMENT } from '../../../platform/local-launch.ts'
import type { ControlPlaneSettings, ControlPlaneSpec } from './control-plane.ts'
import type { Placement } from '../../../core/placement.ts'
import type { JobOrder } from '../../../jobs/job-protocol.ts'

export interface OrchestratorSpec {
  name: string
  runId: string
  binary: string
  /** the run's private directory */
  dir: string
  token?: string
  /** cluster name; undefined: a lone orchestrator with no cluster listener (as Bacalhau) */
  cluster?: string
  routeAuth?: { user: string; password: string }
  /** what its control plane decides by, passed to it unchanged */
  controlPlane: ControlPlaneSettings
  lameDuck: { durationMs: number; graceMs: number }
  /** added after the run started (a scale step), rather than part of the initial topology */
  joined: boolean
  /** called once the server accepts clients, before the control plane starts (link proxies
   *  for it are set up here, before the cluster gossips its address to nodes) */
  onServerReady?: (name: string, clientHostPort: string) => Promise<void>
  /** where its server and control plane run (the backend's host); default 127.0.0.1 here */
  placement?: Placement
  /** its nats-server's GOMAXPROCS (sim/transports/nats/server-process.ts goMaxProcsFor) */
  goMaxProcs?: number
}

export type OrchestratorState = 'up' | 'frozen' | 'down'

/**
 * One orchestrator: a real nats-server and its control-plane process, which share fate as in
 * Bacalhau (where the server is embedded in the orchestrator): kill, stop and freeze act on
 * both, and restart brings both back on the same ports.
 */
export class Orchestrator implements LameDuckMember {
  spec: OrchestratorSpec
  readonly #record: (e: RawEvent) => void
  #server!: NatsServer
  #agent!: AgentProcess
  #httpPort = 0
  #state: OrchestratorState = 'down'
  #ports: ServerPorts | undefined
  #configuredPorts: ServerPorts | undefined
  #verbose = false

  private constructor(spec: OrchestratorSpec, record: (e: RawEvent) => void) {
    this.spec = spec
    this.#record = record
  }

  get name(): string {
    return this.spec.name
  }
  get state(): OrchestratorState {
    return this.#state
  }
  get server(): NatsServer {
    return this.#server
  }
  /** its nats-server process is running (frozen or not), whether or not its control plane is */
  get serverRunning(): boolean {
    return this.#server?.running ?? false
  }
  get clientHostPort(): string {
    return this.#server.clientHostPort
  }
  get clusterHostPort(): string | undefined {
    return this.#server.clusterHostPort
  }
  get httpPort(): number {
    return this.#httpPort
  }
  get pids(): number[] {
    return [this.#server?.pid, this.#agent?.pid].filter((p): p is number => p !== undefined)
  }

  #event<K extends EventKind>(kind: K, data: DataOf<K>): void {
    this.#record(makeEvent(kind, { orch: this.spec.name }, data))
  }

  /** Starts server and control plane; `routes` are peers' cluster `host:port`s. */
  static async start(spec: OrchestratorSpec, routes: string[], record: (e: RawEvent) => void): Promise<Orchestrator> {
    const o = await Orchestrator.startServer(spec, routes, record)
    await o.startControlPlane()
    return o
  }

  /**
   * Its nats-server alone, JetStream on (membership lives there). `jetstream: false` is for the
   * first server of a cluster: clustered JetStream needs routes at start, and on ephemeral
   * ports nobody's address is known before it starts, so it starts without and turns JetStream
   * on once its peers are up (`enableJetStream`).
   */
  static async startServer(
    spec: OrchestratorSpec,
    routes: string[],
    record: (e: RawEvent) => void,
    opts: { jetstream?: boolean } = {},
  ): Promise<Orchestrator> {
    const o = new Orchestrator(spec, record)
    await o.#bootServer(routes, opts.jetstream ?? true)
    return o
  }

  #serverConfig(routes: string[], jetstream: boolean, ports: ServerPorts | undefined) {
    const { spec } = this
    return {
      name: spec.name,
      ...(spec.token === undefined ? {} : { token: spec.token }),
      ...(ports === undefined ? {} : { ports }),
      ...(spec.cluster === undefined ? {} : { cluster: { name: spec.cluster, routes, ...(spec.routeAuth ? { auth: spec.routeAuth } : {}) } }),
      lameDuck: spec.lameDuck,
      ...(jetstream ? { jetstream: { storeDir: `${spec.dir}/${spec.name}.js` } } : {}),
    }
  }

  async #bootServer(routes: string[], jetstream: boolean): Promise<void> {
    const { spec } = this
    this.#event('orch.start', { joined: spec.joined })
    const ports = this.#ports
    this.#server = await NatsServer.start({
      binary: spec.binary,
      dir: spec.dir,
      config: this.#serverConfig(routes, jetstream, ports),
      ...(spec.placement ? { placement: spec.placement } : {}),
      ...(spec.goMaxProcs === undefined ? {} : { goMaxProcs: spec.goMaxProcs }),
    })
    // ports as first configured: a reload must not change them (-1 stays -1)
    this.#configuredPorts = ports
    this.#ports = this.#server.ports
    await spec.onServerReady?.(spec.name, this.#server.clientHostPort)
    void this.#server.exited.then((exit) => {
      if (this.#state !== 'down') {
        this.#state = 'down'
        void this.#agent?.signal('SIGKILL')
        this.#event('orch.down', { reason: 'exit', code: exit.code, signal: exit.signal })
      }
    })
  }

  /** The first server of a cluster, once its peers are up: routes to them (and itself: nats-server
   *  ignores a route to itself), and JetStream on, by a configuration reload. */
  async enableJetStream(routes: string[]): Promise<void> {
    const self = this.clusterHostPort === undefined ? [] : [this.clusterHostPort]
    await this.#server.reload(this.#serverConfig([...self, ...routes], true, this.#configuredPorts))
  }

  /** Its control plane, once the server is up; the orchestrator is `up` when it is ready. */
  async startControlPlane(): Promise<void> {
    const { spec } = this
    // what the control plane says when it gives up (it cannot open the bucket), for the error
    let fatal: string | undefined
    // On the server's host (docker: in the server's container, so the two share fate, its
    // address and its resource limits, as an embedded server does).
    try {
      this.#agent = await AgentProcess.launch(
        spec.placement ?? LOCAL_PLACEMENT,
        new URL('./agent-main.ts', import.meta.url),
        [spec.runId, spec.name],
        (events) => events.forEach(this.#record),
        (message) => (fatal = message),
      )
    } catch (err) {
      await this.#server.kill()
      throw new NetsimError('E_CONTROL_PLANE', `control plane of ${spec.name} did not start: ${(err as Error).message}`, { cause: err })
    }
    const cp: ControlPlaneSpec = {
      name: spec.name,
      server: this.#server.clientHostPort,
      ...(spec.token === undefined ? {} : { token: spec.token }),
      ...spec.controlPlane,
      verbose: this.#verbose,
    }
    this.#agent.send({ type: 'start', spec: cp })
    try {
      // it opens the membership bucket first, which waits for JetStream (up to 30 s)
      const ready = await this.#agent.waitFor('ready', 45_000)
      this.#httpPort = (ready as { http?: number }).http ?? 0
    } catch (err) {
      await this.#server.kill()
      await this.#agent.kill()
      throw new NetsimError('E_CONTROL_PLANE', `control plane of ${spec.name} did not start: ${fatal ?? (err as Error).message}`, { cause: err })
    }
    this.#state = 'up'
    this.#event('orch.ready', { client: this.#server.clientHostPort, joined: spec.joined })
  }

  async #both(sig: NodeJS.Signals): Promise<void> {
    await Promise.all([this.#server.signal(sig), this.#agent?.signal(sig)])
  }

  /** A signal to server and control plane, nothing else (no state, no event): see OrchestratorCluster.restartAll. */
  async signal(sig: NodeJS.Signals): Promise<void> {
    await Promise.all([this.#server?.signal(sig), this.#agent?.signal(sig)])
  }

  /** Every heartbeat as an event (see ControlPlane.setVerbose); kept across restarts. */
  setVerbose(on: boolean): void {
    this.#verbose = on
    if (this.#state !== 'down') this.#agent.send({ type: 'verbose', on })
  }

  /** Its control plane asks each node for a bid (events `orch.bid`); resolves when all answered or failed. */
  async askForBid(nodes: string[], timeoutMs: number, metric: string): Promise<{ asked: number; ok: number }> {
    const reply = this.#agent.waitFor('bids', timeoutMs + 15_000)
    this.#agent.send({ type: 'ask_for_bid', nodes, timeoutMs, metric })
    const r = (await reply) as { asked: number; ok: number }
    return { asked: r.asked, ok: r.ok }
  }

  /** A job for its control plane to run (sim/jobs); a down orchestrator drops it, as a dead one would. */
  submitJob(order: JobOrder): void {
    if (this.#state === 'up') this.#agent.send({ type: 'job', order })
  }

  /** SIGKILL to server and control plane: a crash. */
  async kill(): Promise<void> {
    this.#state = 'down'
    const killed = this.#both('SIGKILL')
    this.#event('orch.down', { reason: 'kill' })
    await killed
    await Promise.all([this.#server.exited, this.#agent?.exited])
  }

  /** SIGTERM: a clean shutdown (the server closes client connections). */
  async stop(): Promise<void> {
    this.#state = 'down'
    this.#event('orch.down', { reason: 'stop' })
    await this.#agent.signal('SIGKILL') // the control plane has no state worth a clean exit
    await Promise.all([this.#server.stop(), this.#agent.exited])
  }

  /** SIGSTOP to both (docker: the container paused): the sockets stay open and silent. */
  async freeze(): Promise<void> {
    this.#state = 'frozen'
    const frozen = this.#both('SIGSTOP')
    this.#event('orch.down', { reason: 'freeze' })
    await frozen
  }

  async thaw(): Promise<void> {
    if (this.#state !== 'frozen') return
    await this.#both('SIGCONT')
    this.#state = 'up'
    this.#event('orch.ready', { client: this.#server.clientHostPort, joined: false, thawed: true })
  }

  /** SIGUSR2: the server stops accepting and sheds its clients over the lame-duck duration. */
  async lameDuck(): Promise<void> {
    await this.#server.signal('SIGUSR2')
  }

  /** A stopped or killed orchestrator starts again on the same ports, with fresh state in memory
   *  (membership is in JetStream, whose store it keeps); `token` replaces its token (a rotation). */
  async restart(routes: string[], token?: string): Promise<void> {
    await this.restartServer(routes, token)
    await this.startControlPlane()
  }

  /** The first half of a restart: the server alone (restartAll starts every server before any control plane). */
  async restartServer(routes: string[], token?: string): Promise<void> {
    if (this.#state !== 'down') await this.kill()
    if (token !== undefined) this.spec = { ...this.spec, token }
    await this.#bootServer(routes, true)
  }

  /** Teardown at the end of a run: no events, just gone. */
  async dispose(): Promise<void> {
    this.#state = 'down'
    await Promise.all([this.#server?.signal('SIGCONT'), this.#agent?.signal('SIGCONT')])
    await Promise.all([this.#server?.kill(), this.#agent?.kill()])
  }
}
