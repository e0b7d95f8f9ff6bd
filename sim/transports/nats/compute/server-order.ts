import type { Server } from '@nats-io/transport-node'
import type { Rng } from '../../../core/rng.ts'

/**
 * Which server a simulated node dials next, and when, following nats.go (Bacalhau's client)
 * rather than nats.js's default (FINDINGS.md):
 *
 * - order: the pool is shuffled once; a server that was just tried goes to the end, so a
 *   failover dials the least recently dialled server first;
 * - backoff: nats.go sleeps the reconnect wait (plus jitter) only before every pool-size-th
 *   attempt of one reconnect episode, i.e. after a whole pass failed (`doSleep := i+1 >=
 *   len(srvPool)` in its doReconnect). nats.js instead waits before re-dialling *its own* pick
 *   when that server was dialled less than the wait ago, and its own pick after a disconnect
 *   is the server just lost: a node that connected shortly before its server died would sit
 *   out most of a reconnect wait before dialling a live survivor. So the node turns nats.js's
 *   wait off (`reconnectDelayHandler: () => 0`, see compute-node.ts) and this handler returns
 *   the Go backoff as the `{ server, delay }` of the attempt that needs it.
 *
 * Each node gets its own seeded order, so the nodes of a lost orchestrator spread over the
 * survivors as Go clients do.
 */
export type ServerOrder = 'go' | 'js'

export interface GoClientOrder {
  (pool: ReadonlyArray<Server>): Server | { server: Server; delay: number } | null
  /** a connection was established: the next failure starts a new reconnect episode */
  connected(): void
}

/** `backoff`: the reconnect wait plus a jitter draw (ms); absent: order only, no backoff. */
export const goClientOrder = (rng: Rng, backoff?: () => number): GoClientOrder => {
  const rank = new Map<string, number>()
  const rankOf = (s: Server): number => {
    let r = rank.get(s.listen)
    if (r === undefined) {
      r = rng.next()
      rank.set(s.listen, r)
    }
    return r
  }
  let attempts = 0
  // The first connect makes one pass and no sleep (nats.go without RetryOnFailedConnect).
  let reconnecting = false
  const pick = (pool: ReadonlyArray<Server>): Server | { server: Server; delay: number } | null => {
    let best: Server | null = null
    for (const s of pool) {
      if (best === null || s.lastConnect < best.lastConnect || (s.lastConnect === best.lastConnect && rankOf(s) < rankOf(best))) {
        best = s
      }
    }
    if (best === null) return null
    attempts++
    if (reconnecting && backoff !== undefined && attempts % Math.max(1, pool.length) === 0) return { server: best, delay: backoff() }
    return best
  }
  return Object.assign(pick, {
    connected: () => {
      attempts = 0
      reconnecting = true
    },
  })
}
