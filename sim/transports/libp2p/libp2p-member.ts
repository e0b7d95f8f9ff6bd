import { makeEvent, type DataOf, type RawEvent, type EventKind } from '../../core/events.ts'
import { now } from '../../core/clock.ts'
import { NetsimError } from '../../core/errors.ts'
import { AgentProcess } from '../../platform/agent-process.ts'
import type { Member, MemberState } from '../../core/cluster.ts'
import type { Libp2pTimers } from '../../model/libp2p-timers.ts'
import type { Libp2pOrchestratorCommand } from './orchestrator-main.ts'
import type { JobOrder } from '../../jobs/job-protocol.ts'

/** One libp2p orchestrator as the run sees it; the process is started by Libp2pMember. */
export interface Libp2pMemberSpec {
  name: string
  runId: string
  timers: Libp2pTimers
  /** derives its peer id: the same after a restart, so its multiaddr stays valid */
  seed: number
  /** added by a scale step, not part of the initial topology */
  joined: boolean
}

const READY_TIMEOUT_MS = 20_000

/**
 * A libp2p-mode orchestrator (sim/transports/libp2p/libp2p-orchestrator.ts) in its own process
 * (orchestrator-main.ts), with the NATS Orchestrator's interface: kill (SIGKILL), stop (SIGTERM:
 * a clean shutdown), freeze / thaw (SIGSTOP / SIGCONT) and restart, which comes back with the
 * same peer id on the same port, so the `--peer` multiaddrs nodes were given lead to it again.
 * Lifecycle events (orch.start, orch.ready with `client` = its multiaddr, orch.down) are emitted
 * here, as Orchestrator does for NATS, so metrics and the live state read both alike.
 */
export class Libp2pMember implements Member {
  readonly spec: Libp2pMemberSpec
  readonly #record: (e: RawEvent) => void
  #agent: AgentProcess | null = null
  #state: MemberState = 'down'
  #multiaddr = ''
  #peerId = ''
  #port: number | undefined

  private constructor(spec: Libp2pMemberSpec, record: (e: RawEvent) => void) {
    this.spec = spec
    this.#record = record
  }

  static async start(spec: Libp2pMemberSpec, record: (e: RawEvent) => void): Promise<Libp2pMember> {
    const m = new Libp2pMember(spec, record)
    await m.#boot()
    return m
  }

  get name(): string {
    return this.spec.name
  }
  get state(): MemberState {
    return this.#state
  }
  /** `/ip4/127.0.0.1/tcp/<port>/p2p/<peer id>`: what nodes are given as `--peer` */
  get multiaddr(): string {
    return this.#multiaddr
  }
  /** the address nodes are given (named as the NATS orchestrator's, for the shared code) */
  get clientHostPort(): string {
    return this.#multiaddr
  }
  get peerId(): string {
    return this.#peerId
  }
  get pids(): number[] {
    return this.#agent === null ? [] : [this.#agent.pid]
  }

  #event<K extends EventKind>(kind: K, data: DataOf<K>): void {
    this.#record(makeEvent(kind, { orch: this.spec.name }, data))
  }

  #send(cmd: Libp2pOrchestratorCommand): void {
    this.#agent?.send(cmd)
  }

  async #boot(): Promise<void> {
    const { spec } = this
    this.#event('orch.start', { joined: spec.joined })
    let fatal: string | null = null
    const agent = new AgentProcess(
      new URL('./orchestrator-main.ts', import.meta.url),
      [spec.runId, spec.name],
      (events) => events.forEach(this.#record),
      (message) => (fatal = message),
    )
    this.#agent = agent
    void agent.exited.then((exit) => {
      if (this.#agent === agent && this.#state !== 'down') {
        this.#state = 'down'
        this.#event('orch.down', { reason: 'exit', code: exit.code, signal: exit.signal })
      }
    })
    const ready = agent.waitFor('ready', READY_TIMEOUT_MS)
    this.#send({
      type: 'start',
      spec: { name: spec.name, timers: spec.timers, seed: spec.seed, joined: spec.joined, ...(this.#port === undefined ? {} : { port: this.#port }) },
    })
    try {
      const r = (await ready) as unknown as { multiaddr: string; peerId: string }
      this.#multiaddr = r.multiaddr
      this.#peerId = r.peerId
      this.#port = Number(/\/tcp\/(\d+)/.exec(r.multiaddr)?.[1])
    } catch (err) {
      await agent.kill()
      throw new NetsimError('E_CONTROL_PLANE', `libp2p orchestrator ${spec.name} did not start: ${fatal ?? (err as Error).message}`, { cause: err })
    }
    this.#state = 'up'
    this.#event('orch.ready', { client: this.#multiaddr, joined: spec.joined })
  }

  /** Dials the given orchestrators (one dial each, as Libp2pOrchestrator.connectTo). */
  async connectTo(peers: string[]): Promise<void> {
    if (peers.length === 0 || this.#agent === null) return
    const reply = this.#agent.waitFor('connected', READY_TIMEOUT_MS)
    this.#send({ type: 'connect', peers })
    const { failures } = (await reply) as unknown as { failures: string[] }
    if (failures.length > 0) throw new NetsimError('E_CONTROL_PLANE', failures.join('; '))
  }

  /** Peer ids it shares a gossipsub mesh with on the node-info topic. */
  async meshPeers(): Promise<string[]> {
    if (this.#agent === null || this.#state !== 'up') return []
    const reply = this.#agent.waitFor('mesh', 5_000)
    this.#send({ type: 'mesh' })
    return ((await reply) as unknown as { peers: string[] }).peers
  }

  /** Asks each node (by node id) for a bid; events `orch.bid`. Resolves when every call ended. */
  async askForBid(nodes: string[], timeoutMs: number, metric: string): Promise<{ asked: number; ok: number }> {
    if (this.#agent === null) return { asked: 0, ok: 0 }
    const reply = this.#agent.waitFor('bids', timeoutMs * Math.ceil(nodes.length / 64 + 1) + 15_000)
    this.#send({ type: 'ask_for_bid', nodes, timeoutMs, metric })
    const r = (await reply) as unknown as { asked: number; ok: number }
    return { asked: r.asked, ok: r.ok }
  }

  /** A job for its requester (sim/jobs); a down orchestrator drops it, as a dead one would. */
  submitJob(order: JobOrder): void {
    if (this.#state === 'up') this.#send({ type: 'job', order })
  }

  /** SIGKILL: a crash. Connections die with the process. */
  async kill(): Promise<void> {
    this.#state = 'down'
    this.#event('orch.down', { reason: 'kill' })
    await this.#agent?.kill()
  }

  /** SIGTERM: a clean shutdown (the host closes its connections), SIGKILL if it lingers. */
  async stop(): Promise<void> {
    const agent = this.#agent
    this.#state = 'down'
    this.#event('orch.down', { reason: 'stop' })
    if (agent === null) return
    agent.signal('SIGTERM')
    const t = setTimeout(() => agent.signal('SIGKILL'), 5_000)
    await agent.exited
    clearTimeout(t)
  }

  /** SIGSTOP: connections stay open and silent (libp2p mode has no ping to notice it). */
  freeze(): void {
    this.#state = 'frozen'
    this.#agent?.signal('SIGSTOP')
    this.#event('orch.down', { reason: 'freeze' })
  }

  thaw(): void {
    if (this.#state !== 'frozen') return
    this.#agent?.signal('SIGCONT')
    this.#state = 'up'
    this.#event('orch.ready', { client: this.#multiaddr, joined: false, thawed: true })
  }

  /** Back with the same identity on the same port, with an empty node store. */
  async restart(): Promise<void> {
    if (this.#state !== 'down') await this.kill()
    await this.#boot()
  }

  /** Teardown at the end of a run: no events, just gone. */
  async dispose(): Promise<void> {
    this.#state = 'down'
    this.#agent?.signal('SIGCONT')
    await this.#agent?.kill()
  }
}
