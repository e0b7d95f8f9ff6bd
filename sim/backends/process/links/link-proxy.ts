import { createServer, connect, type Server, type Socket } from 'node:net'
import { createRng, type Rng } from '../../../core/rng.ts'
import { InfoRewriter, type AddressMap } from './info-rewriter.ts'
import { Lane } from './lane.ts'
import type { LinkFaultSpec } from '../../../core/links.ts'
import { laneEffectFor } from './lane-effect.ts'

interface Conn {
  client: Socket
  upstream: Socket
  up: Lane
  down: Lane
  /** ids of the active faults that hit this connection (each chosen with its probability) */
  hits: Set<string>
}

/**
 * The link between one node group and one orchestrator: a TCP proxy on loopback. Nodes of the
 * group are given its address; the INFO gossip it forwards names the group's proxies for the
 * other orchestrators, so the group's traffic stays on its own links and a fault on them hits
 * that group only.
 */
export class LinkProxy {
  readonly group: string
  readonly orch: string
  readonly #upstream: { host: string; port: number }
  readonly #map: AddressMap
  readonly #rng: Rng
  #server: Server | null = null
  #port = 0
  readonly #conns = new Set<Conn>()
  #faults: LinkFaultSpec[] = []

  constructor(group: string, orch: string, upstream: { host: string; port: number }, map: AddressMap, seed: number) {
    this.group = group
    this.orch = orch
    this.#upstream = upstream
    this.#map = map
    this.#rng = createRng(seed)
  }

  get port(): number {
    return this.#port
  }
  get connections(): number {
    return this.#conns.size
  }

  async listen(port = 0): Promise<number> {
    const server = createServer({ noDelay: true }, (client) => this.#accept(client))
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()))
    this.#server = server
    this.#port = (server.address() as { port: number }).port
    return this.#port
  }

  #accept(client: Socket): void {
    const upstream = connect({ host: this.#upstream.host, port: this.#upstream.port, noDelay: true })
    const rng = this.#rng.fork(`${this.#conns.size}:${Date.now()}`)
    const conn: Conn = { client, upstream, up: new Lane(client, upstream, rng), down: new Lane(upstream, client, rng), hits: new Set() }
    this.#conns.add(conn)
    for (const f of this.#faults) if (this.#rng.next() < f.probability) conn.hits.add(f.id)
    const rewriter = new InfoRewriter(this.#map)
    client.on('data', (d) => conn.up.send(d))
    upstream.on('data', (d) => {
      const out = rewriter.push(d)
      if (out.length > 0) conn.down.send(out)
    })
    // A close travels on unless its direction is a black hole (which is silent: no FIN, no RST).
    const closeFrom = (from: Socket, to: Socket, lane: Lane) => () => {
      if (lane.mode !== 'blackhole') to.destroy()
      if (from.destroyed && to.destroyed) this.#forget(conn)
    }
    client.on('close', closeFrom(client, upstream, conn.up))
    upstream.on('close', closeFrom(upstream, client, conn.down))
    client.on('error', () => {})
    upstream.on('error', () => {})
    this.#applyModes(conn)
    if (this.#faults.some((f) => f.effect.connections === 'reset' && conn.hits.has(f.id))) this.#reset(conn)
  }

  #forget(conn: Conn): void {
    conn.up.close()
    conn.down.close()
    this.#conns.delete(conn)
  }

  #applyModes(conn: Conn): void {
    const hitting = this.#faults.filter((f) => conn.hits.has(f.id))
    conn.up.setMode(laneEffectFor(hitting, 'to_orchestrator'))
    conn.down.setMode(laneEffectFor(hitting, 'to_node'))
  }

  #reset(conn: Conn): void {
    conn.client.resetAndDestroy()
    conn.upstream.resetAndDestroy()
    this.#forget(conn)
  }

  async apply(f: LinkFaultSpec): Promise<{ hit: number }> {
    this.#faults.push(f)
    let hit = 0
    for (const conn of [...this.#conns]) {
      if (this.#rng.next() >= f.probability) continue
      conn.hits.add(f.id)
      hit++
      if (f.effect.connections === 'reset') this.#reset(conn)
      else this.#applyModes(conn)
    }
    // The address refuses connections until healed (a `down` fault).
    if (f.effect.listen === 'refuse' && this.#server) {
      const s = this.#server
      this.#server = null
      await new Promise<void>((resolve) => s.close(() => resolve()))
    }
    return { hit }
  }

  async heal(id: string): Promise<void> {
    const f = this.#faults.find((x) => x.id === id)
    if (!f) return
    this.#faults = this.#faults.filter((x) => x.id !== id)
    for (const conn of [...this.#conns]) {
      if (!conn.hits.delete(id)) continue
      this.#applyModes(conn)
      // A side that closed during a black hole closes the other now.
      if (conn.client.destroyed !== conn.upstream.destroyed) this.#reset(conn)
    }
    if (f.effect.listen === 'refuse' && !this.#faults.some((x) => x.effect.listen === 'refuse')) await this.listen(this.#port)
  }

  async close(): Promise<void> {
    for (const conn of [...this.#conns]) {
      conn.client.destroy()
      conn.upstream.destroy()
      this.#forget(conn)
    }
    const s = this.#server
    this.#server = null
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
  }
}
