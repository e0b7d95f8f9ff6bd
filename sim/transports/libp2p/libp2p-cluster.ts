import type { RawEvent } from '../../core/events.ts'
import { NetsimError } from '../../core/errors.ts'
import type { Cluster, RestartOptions } from '../../core/cluster.ts'
import { Wait, waitFor } from '../../core/wait.ts'
import { Libp2pMember, type Libp2pMemberSpec } from './libp2p-member.ts'

/**
 * The orchestrators of a libp2p-mode run: each its own process, connected to each other
 * (a full mesh of dials) so that node-info gossip crosses between them. Ready once every live
 * member has every other in its gossipsub mesh, the libp2p counterpart of the NATS cluster's
 * full route mesh.
 */
export class Libp2pCluster implements Cluster {
  readonly #members: Libp2pMember[] = []
  readonly #makeSpec: (name: string, joined: boolean) => Libp2pMemberSpec
  readonly #record: (e: RawEvent) => void

  private constructor(makeSpec: (name: string, joined: boolean) => Libp2pMemberSpec, record: (e: RawEvent) => void) {
    this.#makeSpec = makeSpec
    this.#record = record
  }

  static async start(
    count: number,
    makeSpec: (name: string, joined: boolean) => Libp2pMemberSpec,
    record: (e: RawEvent) => void,
  ): Promise<Libp2pCluster> {
    const c = new Libp2pCluster(makeSpec, record)
    try {
      const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => Libp2pMember.start(makeSpec(`orch-${i}`, false), record)))
      for (const r of started) if (r.status === 'fulfilled') c.#members.push(r.value)
      const failed = started.find((r) => r.status === 'rejected')
      if (failed) throw (failed as PromiseRejectedResult).reason
      c.#members.sort((a, b) => Number(a.name.slice(5)) - Number(b.name.slice(5)))
      // Member i dials members 0..i-1: one connection per pair.
      await Promise.all(c.#members.map((m, i) => m.connectTo(c.#members.slice(0, i).map((o) => o.multiaddr))))
      await c.waitForMesh()
      return c
    } catch (err) {
      await c.dispose()
      throw err
    }
  }

  get members(): readonly Libp2pMember[] {
    return this.#members
  }
  live(): Libp2pMember[] {
    return this.#members.filter((o) => o.state === 'up')
  }
  get(name: string): Libp2pMember | undefined {
    return this.#members.find((o) => o.name === name)
  }
  /** The member nodes reach at this address (a node's `server`), if any. */
  byAddress(multiaddr: string): Libp2pMember | undefined {
    return this.#members.find((o) => o.multiaddr === multiaddr)
  }

  #othersOf(m: Libp2pMember): string[] {
    return this.live()
      .filter((o) => o !== m)
      .map((o) => o.multiaddr)
  }

  /** A scale step: a new orchestrator that dials every live one. */
  async add(): Promise<Libp2pMember> {
    const m = await Libp2pMember.start(this.#makeSpec(`orch-${this.#members.length}`, true), this.#record)
    this.#members.push(m)
    await m.connectTo(this.#othersOf(m))
    await this.waitForMesh()
    return m
  }

  /** Back on its port with its identity; it dials the live others (they do not re-dial it). */
  async restart(name: string, _opts?: RestartOptions): Promise<void> {
    const m = this.get(name)
    if (!m) throw new NetsimError('E_FAULT_TARGET', `no orchestrator named ${name}`)
    await m.restart()
    await m.connectTo(this.#othersOf(m))
    await this.waitForMesh()
  }

  async restartAll(_opts?: RestartOptions): Promise<void> {
    await Promise.all(this.#members.filter((o) => o.state !== 'down').map((o) => o.kill()))
    await Promise.all(this.#members.map((m) => m.restart()))
    await Promise.all(this.#members.map((m, i) => m.connectTo(this.#members.slice(0, i).map((o) => o.multiaddr))))
    await this.waitForMesh()
  }

  /** Until every live member has every other live member in its node-info gossip mesh. */
  async waitForMesh(timeoutMs = 15_000): Promise<void> {
    const live = this.live()
    if (live.length < 2) return
    const missing = async () => {
      const meshes = await Promise.all(live.map((m) => m.meshPeers().catch((): string[] => [])))
      return live.map((m, i) => live.filter((o) => o !== m && !(meshes[i] as string[]).includes(o.peerId)).length)
    }
    const mesh = Wait.forCondition(
      `a gossip mesh of ${live.length} libp2p orchestrators`,
      missing,
      (ms) => ms.every((n) => n === 0),
      (ms) => `peers missing per orchestrator: ${live.map((m, i) => `${m.name}=${ms[i]}`).join(', ')}`,
      50,
    )
    await waitFor(mesh, { timeoutMs })
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#members.map((o) => o.dispose()))
  }
}
