/**
 * Bacalhau version profiles (docs/design.md, "Version profiles") and the time scale.
 *
 * Profile values are Bacalhau's real defaults in milliseconds. A run multiplies every protocol
 * timer by its time scale so that a 15 s heartbeat becomes 1.5 s at scale 0.1 and a CI run
 * takes seconds. Timers that bound a single round trip (connect timeout, RegisterNode timeout)
 * are not protocol cadences and stay unscaled: scaling them would turn a busy machine's normal
 * latency into spurious failures.
 */

import { derivedCheckPeriod } from './liveness.ts'

/**
 * One profile per behaviour that differs between released tags: v1.3.0 (no heartbeats),
 * v1.3.1 (v1.3.1–v1.3.2: heartbeats, but nats.go's 60 reconnect attempts), v1.4 (v1.4.0 and
 * later v1.4.x: unlimited reconnects, no libp2p), v1.5 (v1.5.0–v1.5.2: a second heartbeat
 * subject, a 60 s timeout and a derived check period). Each value's source is in
 * docs/design.md, "Version profiles".
 */
export const PROFILE_NAMES = ['v1.3.0', 'v1.3.1', 'v1.4', 'v1.5'] as const
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
  /** nats-server's lame-duck mode (Bacalhau sets none, so nats-server's defaults): the time over
   *  which a server entering it closes its clients, and the wait before it starts */
  lame_duck_duration: number
  lame_duck_grace: number
}

export interface Profile {
  name: ProfileName
  timers: Timers
  /** subjects a heartbeat is published on; `{id}` is the node id */
  heartbeat_subjects: string[]
  /** the JetStream key-value bucket holding node membership */
  membership_bucket: 'nodes' | 'node_v1'
  /** the check period is the disconnect timeout / 3 within 1–30 s (v1.5), not a setting of its own */
  derives_check_period: boolean
  /** the libp2p transport exists in this version (v1.3.x; removed in v1.4.0) */
  libp2p: boolean
}

const natsGoClient = {
  reconnect_wait: 2_000,
  reconnect_jitter: 100,
  ping_interval: 120_000,
  max_pings_out: 2,
  connect_timeout: 2_000,
  register_timeout: 2_000,
}

/** nats-server's own defaults (server/const.go), which apply as Bacalhau configures none. */
const natsServerLameDuck = {
  lame_duck_duration: 120_000,
  lame_duck_grace: 10_000,
}

/** v1.3.1 to v1.4: the first heartbeat settings (15 s heartbeats, 30 s check, 30 s timeout). */
const heartbeatsV13 = {
  heartbeat_interval: 15_000,
  check_period: 30_000,
  disconnect_after: 30_000,
  info_interval: 60_000,
  resources_interval: 30_000,
}

export const PROFILES: Record<ProfileName, Profile> = {
  'v1.3.0': {
    name: 'v1.3.0',
    heartbeat_subjects: [],
    membership_bucket: 'nodes',
    derives_check_period: false,
    libp2p: true,
    timers: {
      ...natsGoClient,
      ...natsServerLameDuck,
      heartbeat_interval: null,
      check_period: null,
      disconnect_after: null,
      info_interval: 300_000,
      resources_interval: 30_000,
      max_reconnects: 60,
    },
  },
  'v1.3.1': {
    name: 'v1.3.1',
    heartbeat_subjects: ['heartbeat'],
    membership_bucket: 'node_v1',
    derives_check_period: false,
    libp2p: true,
    timers: {
      ...natsGoClient,
      ...natsServerLameDuck,
      ...heartbeatsV13,
      max_reconnects: 60,
    },
  },
  'v1.4': {
    name: 'v1.4',
    heartbeat_subjects: ['heartbeat'],
    membership_bucket: 'node_v1',
    derives_check_period: false,
    libp2p: false,
    timers: {
      ...natsGoClient,
      ...natsServerLameDuck,
      ...heartbeatsV13,
      max_reconnects: -1,
    },
  },
  'v1.5': {
    name: 'v1.5',
    heartbeat_subjects: ['heartbeat', 'bacalhau.global.compute.{id}.out.heartbeat'],
    membership_bucket: 'node_v1',
    derives_check_period: true,
    libp2p: false,
    timers: {
      ...natsGoClient,
      ...natsServerLameDuck,
      heartbeat_interval: 15_000,
      // derived: 60 s / 3 (sim/model/liveness.ts)
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
  'lame_duck_duration',
  'lame_duck_grace',
] as const satisfies readonly (keyof Timers)[]

export const TIMER_NAMES = Object.keys(PROFILES['v1.5'].timers) as (keyof Timers)[]

export const isProfileName = (s: string): s is ProfileName => (PROFILE_NAMES as readonly string[]).includes(s)

/**
 * Profile defaults, then overrides (in Bacalhau's real units, before scaling), then the scale.
 * A profile that derives its check period (v1.5) derives it from the disconnect timeout after
 * overrides, so overriding `disconnect_after` moves it, unless `check_period` is overridden too.
 * Scaled values are rounded to whole milliseconds, the resolution of the NATS client's and
 * Node's timers.
 */
export const resolveTimers = (profile: ProfileName, timeScale: number, overrides: Partial<Timers> = {}): Timers => {
  const timers: Timers = { ...PROFILES[profile].timers, ...overrides }
  if (PROFILES[profile].derives_check_period && overrides.check_period === undefined && timers.disconnect_after !== null)
    timers.check_period = derivedCheckPeriod(timers.disconnect_after)
  for (const name of SCALED_TIMERS) {
    const v = timers[name]
    // 0 stays 0 (no jitter); anything else is at least 1 ms.
    if (v !== null) timers[name] = v === 0 ? 0 : Math.max(1, Math.round(v * timeScale))
  }
  return timers
}
