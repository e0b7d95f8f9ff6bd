import type { Server } from '@nats-io/transport-node'
import type { Rng } from '../rng.ts'

/**
 * Which server a simulated node dials next, following nats.go (Bacalhau's client) rather than
 * nats.js's default (FINDINGS.md): the pool is shuffled once, a server that was just tried goes
 * to the end, so a failover dials the least recently dialled server. Each node gets its own
 * seeded order, so the nodes of a lost orchestrator spread over the survivors as Go clients do.
 */
export type ServerOrder = 'go' | 'js'

export const goClientOrder = (rng: Rng) => {
  const rank = new Map<string, number>()
  const rankOf = (s: Server): number => {
    let r = rank.get(s.listen)
    if (r === undefined) {
      r = rng.next()
      rank.set(s.listen, r)
    }
    return r
  }
  return (pool: ReadonlyArray<Server>): Server | null => {
    let best: Server | null = null
    for (const s of pool) {
      if (best === null || s.lastConnect < best.lastConnect || (s.lastConnect === best.lastConnect && rankOf(s) < rankOf(best))) {
        best = s
      }
    }
    return best
  }
}
