import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../../core/events.ts'
import type { LameDuckMember } from '../../../core/cluster.ts'
import { now } from '../../../core/clock.ts'
import { NetsimError } from '../../../core/errors.ts'
import { NatsServer, type ServerPorts } from '../server-process.ts'
import { AgentProcess } from '../../../platform/agent-process.ts'
import { LOCAL_PLACEMENT } from '../../../platform/local-launch.ts'
import type { ControlPlaneSpec } from './control-plane.ts'
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
  heartbeatSubjects: string[]
  checkPeriod: number | null
  disconnectAfter: number | null
  manualApproval: boolean
  heartbeatInterval: number | null
  lameDuck: { durationMs: number; graceMs: number }
  jetstream: boolean
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
    const o = new Orchestrator(spec, record)
    await o.#boot(routes)
    return o
  }

  async #boot(routes: string[]): Promise<void> {
    const { spec } = this
    this.#event('orch.start', { joined: spec.joined })
    this.#server = await NatsServer.start({
      binary: spec.binary,
      dir: spec.dir,
      config: {
        name: spec.name,
        ...(spec.token === undefined ? {} : { token: spec.token }),
        ...(this.#ports === undefined ? {} : { ports: this.#ports }),
        ...(spec.cluster === undefined ? {} : { cluster: { name: spec.cluster, routes, ...(spec.routeAuth ? { auth: spec.routeAuth } : {}) } }),
        lameDuck: spec.lameDuck,
        ...(spec.jetstream ? { jetstream: { storeDir: `${spec.dir}/${spec.name}.js` } } : {}),
      },
      ...(spec.placement ? { placement: spec.placement } : {}),
      ...(spec.goMaxProcs === undefined ? {} : { goMaxProcs: spec.goMaxProcs }),
    })
    this.#ports = this.#server.ports
    await spec.onServerReady?.(spec.name, this.#server.clientHostPort)
    void this.#server.exited.then((exit) => {
      if (this.#state !== 'down') {
        this.#state = 'down'
        void this.#agent?.signal('SIGKILL')
        this.#event('orch.down', { reason: 'exit', code: exit.code, signal: exit.signal })
      }
    })
    // On the server's host (docker: in the server's container, so the two share fate, its
    // address and its resource limits, as an embedded server does).
    try {
      this.#agent = await AgentProcess.launch(
        spec.placement ?? LOCAL_PLACEMENT,
        new URL('./agent-main.ts', import.meta.url),
        [spec.runId, spec.name],
        (events) => events.forEach(this.#record),
      )
    } catch (err) {
      await this.#server.kill()
      throw new NetsimError('E_CONTROL_PLANE', `control plane of ${spec.name} did not start: ${(err as Error).message}`, { cause: err })
    }
    const cp: ControlPlaneSpec = {
      name: spec.name,
      server: this.#server.clientHostPort,
      ...(spec.token === undefined ? {} : { token: spec.token }),
      heartbeatSubjects: spec.heartbeatSubjects,
      checkPeriod: spec.checkPeriod,
      disconnectAfter: spec.disconnectAfter,
      manualApproval: spec.manualApproval,
      heartbeatInterval: spec.heartbeatInterval,
      verbose: this.#verbose,
    }
    this.#agent.send({ type: 'start', spec: cp })
    try {
      const ready = await this.#agent.waitFor('ready', 15_000)
      this.#httpPort = (ready as { http?: number }).http ?? 0
    } catch (err) {
      await this.#server.kill()
      await this.#agent.kill()
      throw new NetsimError('E_CONTROL_PLANE', `control plane of ${spec.name} did not start: ${(err as Error).message}`, { cause: err })
    }
    this.#state = 'up'
    this.#event('orch.ready', { client: this.#server.clientHostPort, joined: spec.joined })
  }

  async #both(sig: NodeJS.Signals): Promise<void> {
    await Promise.all([this.#server.signal(sig), this.#agent.signal(sig)])
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
    await Promise.all([this.#server.exited, this.#agent.exited])
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

  /** A stopped or killed orchestrator starts again on the same ports, with fresh state;
   *  `token` replaces its token (a rotation). */
  async restart(routes: string[], token?: string): Promise<void> {
    if (this.#state !== 'down') await this.kill()
    if (token !== undefined) this.spec = { ...this.spec, token }
    await this.#boot(routes)
  }

  /** Teardown at the end of a run: no events, just gone. */
  async dispose(): Promise<void> {
    this.#state = 'down'
    await Promise.all([this.#server?.signal('SIGCONT'), this.#agent?.signal('SIGCONT')])
    await Promise.all([this.#server?.kill(), this.#agent?.kill()])
  }
}
