import { NetsimError } from '../core/errors.ts'
import type { NodeSpec } from '../transports/nats/compute/node-spec.ts'
import type { FleetNodeSpec } from './node-spec.ts'

/**
 * What the reference client is told to run (its spec.go): the same nodes a simulated fleet
 * would get, translated. Each node keeps its id, group, `--orchestrators` entries and token;
 * each group its client options, RegisterNode timeout and heartbeat cadence, from the node
 * specs' (scaled) timers. A node's seed has no counterpart: nats.go shuffles its pool with a
 * time-seeded source of its own, so only the jitter draws follow the run's seed.
 */
export interface GorefSpec {
  nodes: { id: string; group: string; servers: string[]; token?: string; expect?: 'rejected' }[]
  groups: Record<string, GorefGroup>
  seed: number
  register: boolean
  subscribe: boolean
  concurrency: number
  pool_poll_ms: number
}

export interface GorefGroup {
  options: {
    reconnect_wait_ms: number
    reconnect_jitter_ms: number
    connect_timeout_ms: number
    ping_interval_ms: number
    max_pings_out: number
    max_reconnects: number
  }
  register_timeout_ms: number
  heartbeat?: { interval_ms: number; subjects: string[] }
}

/**
 * nats.go has no callback when a server leaves the pool or comes back at an address it knew,
 * both of which nats.js reports; polling the pool this often keeps `node.pool` (and what the
 * discovery metrics derive from it) as truthful as the simulated node's.
 */
export const POOL_POLL_MS = 100

const groupOf = (s: NodeSpec): GorefGroup => {
  const t = s.timers
  return {
    options: {
      reconnect_wait_ms: t.reconnect_wait,
      reconnect_jitter_ms: t.reconnect_jitter,
      connect_timeout_ms: t.connect_timeout,
      ping_interval_ms: t.ping_interval,
      max_pings_out: t.max_pings_out,
      max_reconnects: t.max_reconnects,
    },
    register_timeout_ms: t.register_timeout,
    ...(t.heartbeat_interval !== null && s.heartbeatSubjects.length > 0
      ? { heartbeat: { interval_ms: t.heartbeat_interval, subjects: s.heartbeatSubjects } }
      : {}),
  }
}

export const gorefSpec = (specs: readonly FleetNodeSpec[], opts: { seed: number; concurrency: number }): GorefSpec => {
  const groups: Record<string, GorefGroup> = {}
  const nodes = specs.map((s) => {
    if (s.transport !== 'nats') throw new NetsimError('E_UNSUPPORTED', `the nats.go client runs NATS nodes only, not ${s.transport} node ${s.id}`)
    groups[s.group] ??= groupOf(s)
    return {
      id: s.id,
      group: s.group,
      servers: s.orchestrators
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== ''),
      ...(s.token === undefined ? {} : { token: s.token }),
      ...(s.expectRejected ? { expect: 'rejected' as const } : {}),
    }
  })
  return { nodes, groups, seed: opts.seed, register: true, subscribe: true, concurrency: opts.concurrency, pool_poll_ms: POOL_POLL_MS }
}
