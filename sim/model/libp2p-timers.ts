/**
 * Timers of Bacalhau's libp2p mode (docs/design.md, "libp2p mode"), in Bacalhau's real
 * milliseconds, and their scaling by the run's time scale (the same idea as `resolveTimers` in
 * sim/model/profiles.ts: protocol cadences scale, single-round-trip bounds do not).
 *
 * Sources: `ContinuouslyConnectPeersLoopDelaySeconds = 10` (pkg/libp2p/host.go), the node-info
 * publisher's interval / eager interval / eager duration (pkg/routing), and the in-memory
 * node-info store's TTL.
 */
export interface Libp2pTimers {
  /** compute node: re-dial every configured peer that is not connected */
  redial_interval: number
  /** node info is published on `bacalhau-node-info` this often… */
  info_interval: number
  /** …and this often during the first `info_eager_duration` after start */
  info_eager_interval: number
  info_eager_duration: number
  /** an orchestrator forgets a node this long after its last node info */
  store_ttl: number
  /**
   * How often the orchestrator sweeps its store for expired nodes. netsim's own choice, not a
   * Bacalhau setting: it bounds how late a DISCONNECTED is reported (1/60 of the TTL).
   */
  store_check_interval: number
  /**
   * Bound on one dial (unscaled): Bacalhau dials its peers with a 5 s timeout, overriding
   * libp2p's 60 s default (docs/design.md, "libp2p mode"). It bounds a handshake, so it is not
   * scaled; a busy machine starting many nodes in one process can push a handshake past it,
   * which is then a failed first dial, as it would be in Bacalhau.
   */
  dial_timeout: number
  /** bound on one stream request/response, dial included (unscaled) */
  request_timeout: number
}

export const LIBP2P_TIMERS: Readonly<Libp2pTimers> = {
  redial_interval: 10_000,
  info_interval: 30_000,
  info_eager_interval: 5_000,
  info_eager_duration: 30_000,
  store_ttl: 600_000,
  store_check_interval: 10_000,
  dial_timeout: 5_000,
  request_timeout: 10_000,
}

/** The cadences the time scale multiplies; the rest bound a single round trip. */
export const SCALED_LIBP2P_TIMERS = [
  'redial_interval',
  'info_interval',
  'info_eager_interval',
  'info_eager_duration',
  'store_ttl',
  'store_check_interval',
] as const satisfies readonly (keyof Libp2pTimers)[]

/**
 * Defaults, then overrides (in Bacalhau's real units, before scaling), then the scale; scaled
 * values are rounded to whole milliseconds (Node's timer resolution) and kept at least 1.
 */
export const resolveLibp2pTimers = (timeScale: number, overrides: Partial<Libp2pTimers> = {}): Libp2pTimers => {
  const timers: Libp2pTimers = { ...LIBP2P_TIMERS, ...overrides }
  for (const name of SCALED_LIBP2P_TIMERS) timers[name] = Math.max(1, Math.round(timers[name] * timeScale))
  return timers
}
