import t from 'tap'
import { PROFILES, PROFILE_NAMES, SCALED_TIMERS, TIMER_NAMES, isProfileName, resolveTimers } from '../../../sim/model/profiles.ts'

const natsGo = {
  reconnect_wait: 2000,
  reconnect_jitter: 100,
  ping_interval: 120_000,
  max_pings_out: 2,
  connect_timeout: 2000,
  register_timeout: 2000,
}
// nats-server's defaults (server/const.go), in every profile: Bacalhau sets no lame-duck options
const lameDuck = { lame_duck_duration: 120_000, lame_duck_grace: 10_000 }

t.test('profile names', async (t) => {
  t.strictSame([...PROFILE_NAMES], ['v1.3.0', 'v1.3.1', 'v1.4', 'v1.5'])
  t.ok(isProfileName('v1.4'))
  t.notOk(isProfileName('v1.6'))
  t.notOk(isProfileName('V1.4'))
  t.strictSame(TIMER_NAMES.slice().sort(), Object.keys(PROFILES['v1.3.0'].timers).sort(), 'every profile has the same timer names')
})

t.test('v1.3.0: no heartbeat, 60 reconnects, 5 min info', async (t) => {
  const p = PROFILES['v1.3.0']
  t.equal(p.name, 'v1.3.0')
  t.strictSame(p.heartbeat_subjects, [])
  t.equal(p.membership_bucket, 'nodes')
  t.equal(p.libp2p, true)
  t.strictSame(p.timers, {
    ...natsGo,
    ...lameDuck,
    heartbeat_interval: null,
    check_period: null,
    disconnect_after: null,
    info_interval: 300_000,
    resources_interval: 30_000,
    max_reconnects: 60,
  })
})

t.test('v1.3.1: heartbeats as v1.4, but 60 reconnect attempts (MaxReconnects(-1) came with v1.4.0)', async (t) => {
  const p = PROFILES['v1.3.1']
  t.equal(p.name, 'v1.3.1')
  t.strictSame(p.heartbeat_subjects, ['heartbeat'])
  t.equal(p.membership_bucket, 'node_v1', 'node_v1 arrived in v1.3.1')
  t.equal(p.derives_check_period, false)
  t.equal(p.libp2p, true, 'libp2p was removed in v1.4.0')
  t.strictSame(p.timers, {
    ...natsGo,
    ...lameDuck,
    heartbeat_interval: 15_000,
    check_period: 30_000,
    disconnect_after: 30_000,
    info_interval: 60_000,
    resources_interval: 30_000,
    max_reconnects: 60,
  })
})

t.test('v1.4: 15 s heartbeat, 30 s check, 30 s disconnect, unlimited reconnects', async (t) => {
  const p = PROFILES['v1.4']
  t.equal(p.name, 'v1.4')
  t.strictSame(p.heartbeat_subjects, ['heartbeat'])
  t.equal(p.membership_bucket, 'node_v1')
  t.equal(p.libp2p, false)
  t.strictSame(p.timers, {
    ...natsGo,
    ...lameDuck,
    heartbeat_interval: 15_000,
    check_period: 30_000,
    disconnect_after: 30_000,
    info_interval: 60_000,
    resources_interval: 30_000,
    max_reconnects: -1,
  })
})

t.test('v1.5: 20 s check, 60 s disconnect, two heartbeat subjects', async (t) => {
  const p = PROFILES['v1.5']
  t.equal(p.name, 'v1.5')
  t.strictSame(p.heartbeat_subjects, ['heartbeat', 'bacalhau.global.compute.{id}.out.heartbeat'])
  t.equal(p.derives_check_period, true)
  t.strictSame(p.timers, {
    ...natsGo,
    ...lameDuck,
    heartbeat_interval: 15_000,
    check_period: 20_000,
    disconnect_after: 60_000,
    info_interval: 60_000,
    resources_interval: 30_000,
    max_reconnects: -1,
  })
})

t.test('SCALED_TIMERS is exactly the protocol cadences', async (t) => {
  t.strictSame(
    [...SCALED_TIMERS].sort(),
    [
      'check_period',
      'disconnect_after',
      'heartbeat_interval',
      'info_interval',
      'ping_interval',
      'reconnect_jitter',
      'reconnect_wait',
      'resources_interval',
      'lame_duck_duration',
      'lame_duck_grace',
    ].sort(),
  )
})

t.test('resolveTimers scales exactly the scaled timers', async (t) => {
  t.strictSame(resolveTimers('v1.5', 0.1), {
    heartbeat_interval: 1500,
    check_period: 2000,
    disconnect_after: 6000,
    info_interval: 6000,
    resources_interval: 3000,
    reconnect_wait: 200,
    reconnect_jitter: 10,
    ping_interval: 12_000,
    // unchanged: counts and single round-trip bounds
    max_pings_out: 2,
    max_reconnects: -1,
    connect_timeout: 2000,
    register_timeout: 2000,
    lame_duck_duration: 12_000,
    lame_duck_grace: 1000,
  })
  t.strictSame(resolveTimers('v1.4', 2), {
    heartbeat_interval: 30_000,
    check_period: 60_000,
    disconnect_after: 60_000,
    info_interval: 120_000,
    resources_interval: 60_000,
    reconnect_wait: 4000,
    reconnect_jitter: 200,
    ping_interval: 240_000,
    max_pings_out: 2,
    max_reconnects: -1,
    connect_timeout: 2000,
    register_timeout: 2000,
    lame_duck_duration: 240_000,
    lame_duck_grace: 20_000,
  })
})

t.test('resolveTimers at scale 1 is the profile, and a copy', async (t) => {
  const r = resolveTimers('v1.4', 1)
  t.strictSame(r, PROFILES['v1.4'].timers)
  r.heartbeat_interval = 1
  t.equal(PROFILES['v1.4'].timers.heartbeat_interval, 15_000, 'the profile is not mutated')
})

t.test('resolveTimers keeps null timers null and max_reconnects unscaled', async (t) => {
  const r = resolveTimers('v1.3.0', 0.1)
  t.equal(r.heartbeat_interval, null)
  t.equal(r.check_period, null)
  t.equal(r.disconnect_after, null)
  t.equal(r.info_interval, 30_000)
  t.equal(r.max_reconnects, 60)
})

t.test('resolveTimers applies overrides before scaling', async (t) => {
  const r = resolveTimers('v1.5', 0.1, { ping_interval: 30_000, connect_timeout: 5000, max_pings_out: 4, heartbeat_interval: null })
  t.equal(r.ping_interval, 3000, 'override in real units, then scaled')
  t.equal(r.connect_timeout, 5000, 'unscaled override kept as is')
  t.equal(r.max_pings_out, 4)
  t.equal(r.heartbeat_interval, null, 'an override can switch a timer off')
  t.equal(r.disconnect_after, 6000, 'other timers still scaled')
  // an override can also turn a timer on in a profile that has none
  t.equal(resolveTimers('v1.3.0', 0.5, { heartbeat_interval: 10_000 }).heartbeat_interval, 5000)
})

t.test('resolveTimers rounds to whole ms, never below 1', async (t) => {
  const r = resolveTimers('v1.5', 0.001)
  t.equal(r.reconnect_jitter, 1, '100 * 0.001 = 0.1 -> at least 1 ms')
  t.equal(r.reconnect_wait, 2)
  t.equal(r.heartbeat_interval, 15)
  const r2 = resolveTimers('v1.5', 0.333)
  t.equal(r2.reconnect_jitter, 33, '33.3 rounds to 33')
  t.equal(r2.heartbeat_interval, 4995)
})

t.test('v1.5 derives its check period from the disconnect timeout: / 3 within 1-30 s, before scaling', async (t) => {
  t.equal(resolveTimers('v1.5', 1).check_period, 20_000, '60 s / 3')
  t.equal(resolveTimers('v1.5', 1, { disconnect_after: 30_000 }).check_period, 10_000, 'overriding the timeout moves it')
  t.equal(resolveTimers('v1.5', 0.1, { disconnect_after: 30_000 }).check_period, 1000, 'derived in real units, then scaled')
  t.equal(resolveTimers('v1.5', 1, { disconnect_after: 2_000 }).check_period, 1000, 'raised to 1 s')
  t.equal(resolveTimers('v1.5', 1, { disconnect_after: 300_000 }).check_period, 30_000, 'held at 30 s')
  t.equal(resolveTimers('v1.5', 1, { disconnect_after: 30_000, check_period: 7_000 }).check_period, 7_000, 'an explicit check period wins')
  t.equal(resolveTimers('v1.4', 1, { disconnect_after: 90_000 }).check_period, 30_000, 'v1.4 keeps its own setting')
  t.equal(resolveTimers('v1.5', 1, { disconnect_after: null }).check_period, 20_000, 'no timeout: nothing to derive from')
})
