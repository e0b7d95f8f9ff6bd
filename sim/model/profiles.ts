/**
 * Bacalhau version profiles (docs/design.md, "Version profiles") and the time scale.
 *
 * Profile values are Bacalhau's real defaults in milliseconds. A run multiplies every protocol
 * timer by its time scale so that a 15 s heartbeat becomes 1.5 s at scale 0.1 and a CI run
 * takes seconds. Timers that bound a single round trip (connect timeout, RegisterNode timeout)
 * are not protocol cadences and stay unscaled: scaling them would turn a busy machine's normal
 * latency into spurious failures.
 */

export const PROFILE_NAMES = ['v1.3.0', 'v1.4', 'v1.5'] as const
export type ProfileName = (typeof PROFILE_NAMES)[number]

export type Timers = {
  /** compute → orchestrator heartbeat period; null: this version sends none */
  heartbeat_interval: number | null
  /** how often the orchestrator's heartbeat server checks for silent nodes */
  check_period: number | null
  /** a node silent for longer than this is marked DISCONNECTED */
  disconnect_after: number | null
  info_interval: number
  resources_interval: number
  /** NATS client: wait between full passes over the server pool, plus up to `reconnect_jitter` */
  reconnect_wait: number
  reconnect_jitter: number
  ping_interval: number
  max_pings_out: number
  /** -1: unlimited */
  max_reconnects: number
  connect_timeout: number
  register_timeout: number
}

export interface Profile {
  name: ProfileName
  timers: Timers
  /** subjects a heartbeat is published on; `{id}` is the node id */
  heartbeat_subjects: string[]
}

const natsGoClient = {
  reconnect_wait: 2_000,
  reconnect_jitter: 100,
  ping_interval: 120_000,
  max_pings_out: 2,
  connect_timeout: 2_000,
  register_timeout: 2_000,
}

export const PROFILES: Record<ProfileName, Profile> = {
  'v1.3.0': {
    name: 'v1.3.0',
    heartbeat_subjects: [],
    timers: {
      ...natsGoClient,
      heartbeat_interval: null,
      check_period: null,
      disconnect_after: null,
      info_interval: 300_000,
      resources_interval: 30_000,
      max_reconnects: 60,
    },
  },
  'v1.4': {
    name: 'v1.4',
    heartbeat_subjects: ['heartbeat'],
    timers: {
      ...natsGoClient,
      heartbeat_interval: 15_000,
      check_period: 30_000,
      disconnect_after: 30_000,
      info_interval: 60_000,
      resources_interval: 30_000,
      max_reconnects: -1,
    },
  },
  'v1.5': {
    name: 'v1.5',
    heartbeat_subjects: ['heartbeat', 'bacalhau.global.compute.{id}.out.heartbeat'],
    timers: {
      ...natsGoClient,
      heartbeat_interval: 15_000,
      check_period: 20_000,
      disconnect_after: 60_000,
      info_interval: 60_000,
      resources_interval: 30_000,
      max_reconnects: -1,
    },
  },
}

/** The timers the time scale multiplies; the rest are counts or single-round-trip bounds. */
export const SCALED_TIMERS = [
  'heartbeat_interval',
  'check_period',
  'disconnect_after',
  'info_interval',
  'resources_interval',
  'reconnect_wait',
  'reconnect_jitter',
  'ping_interval',
] as const satisfies readonly (keyof Timers)[]

export const TIMER_NAMES = Object.keys(PROFILES['v1.5'].timers) as (keyof Timers)[]

export const isProfileName = (s: string): s is ProfileName => (PROFILE_NAMES as readonly string[]).includes(s)

/**
 * Profile defaults, then overrides (in Bacalhau's real units, before scaling), then the scale.
 * Scaled values are rounded to whole milliseconds, the resolution
 * of the NATS client's and Node's timers.
 */
export const resolveTimers = (profile: ProfileName, timeScale: number, overrides: Partial<Timers> = {}): Timers => {
  const timers: Timers = { ...PROFILES[profile].timers, ...overrides }
  for (const name of SCALED_TIMERS) {
    const v = timers[name]
    // 0 stays 0 (no jitter); anything else is at least 1 ms.
    if (v !== null) timers[name] = v === 0 ? 0 : Math.max(1, Math.round(v * timeScale))
  }
  return timers
}
