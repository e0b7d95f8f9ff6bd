import { isStale, wholeSeconds } from '../../../model/liveness.ts'

/**
 * An orchestrator's heartbeat server (docs/design.md, "Orchestrator"): the connection state of
 * each node, kept in memory only (a restarted orchestrator has heard from nobody). Pure: every
 * method takes the time, so the arithmetic is unit-tested without clocks or sockets.
 *
 * - A node never heard from reads DISCONNECTED, whatever its registration stored.
 * - A heartbeat is stamped with the orchestrator's own clock in whole seconds and makes the
 *   node CONNECTED.
 * - `check(now)` (at each check tick) marks DISCONNECTED the nodes whose last second is under
 *   the second of `now − timeout` (model/liveness.ts).
 */
export type Connection = 'CONNECTED' | 'DISCONNECTED'

interface Liveness {
  connection: Connection
  /** whole (scaled) second of the last heartbeat */
  lastSecond: number
  /** the same heartbeat's clock reading (epoch ms), for the HTTP API and "late" events */
  lastSeenMs: number
  lastSeq: number
}

export class HeartbeatServer {
  readonly #nodes = new Map<string, Liveness>()
  readonly #disconnectAfter: number
  readonly #second: number

  /** `second`: the length of one of Bacalhau's seconds at the run's time scale (ms) */
  constructor(opts: { disconnectAfter: number; second: number }) {
    this.#disconnectAfter = opts.disconnectAfter
    this.#second = opts.second
  }

  connection(id: string): Connection {
    return this.#nodes.get(id)?.connection ?? 'DISCONNECTED'
  }

  /** When it was last heard (epoch ms), null when never. */
  lastSeen(id: string): number | null {
    return this.#nodes.get(id)?.lastSeenMs ?? null
  }

  /**
   * A heartbeat received at `nowMs`. `duplicate`: the same sequence again, which v1.5 nodes send
   * on two subjects (a restarted node starts again from 1, so only an equal one is a duplicate).
   */
  heartbeat(id: string, seq: number, nowMs: number): { becameConnected: boolean; duplicate: boolean } {
    const n = this.#nodes.get(id)
    if (n !== undefined && seq === n.lastSeq) return { becameConnected: false, duplicate: true }
    const becameConnected = n?.connection !== 'CONNECTED'
    this.#nodes.set(id, { connection: 'CONNECTED', lastSecond: wholeSeconds(nowMs, this.#second), lastSeenMs: nowMs, lastSeq: seq })
    return { becameConnected, duplicate: false }
  }

  /** A check tick: marks stale nodes DISCONNECTED; returns the ids that changed. */
  check(nowMs: number): string[] {
    const changed: string[] = []
    for (const [id, n] of this.#nodes) {
      if (n.connection === 'CONNECTED' && isStale(n.lastSecond, nowMs, this.#disconnectAfter, this.#second)) {
        n.connection = 'DISCONNECTED'
        changed.push(id)
      }
    }
    return changed
  }
}
