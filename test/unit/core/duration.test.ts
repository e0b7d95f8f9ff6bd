import t from 'tap'
import { DurationError, MAX_DURATION_MS, checkDurationSyntax, parseDuration } from '../../../sim/core/duration.ts'
import { TIMER_NAMES, resolveTimers } from '../../../sim/model/profiles.ts'

/** the type of a (sub)test's `t` */
type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const v15 = resolveTimers('v1.5', 1) // ping_interval 120000, disconnect_after 60000, check_period 20000
const v15s = resolveTimers('v1.5', 0.1) // ping_interval 12000, heartbeat_interval 1500
const v13 = resolveTimers('v1.3.0', 1)

const throwsDuration = (t: TapTest, fn: () => unknown, re: RegExp, msg?: string) => {
  try {
    fn()
    t.fail(`expected a DurationError matching ${re}${msg ? ` (${msg})` : ''}`)
  } catch (e) {
    t.type(e, DurationError, msg ?? String(re))
    t.match((e as Error).message, re, msg ?? String(re))
  }
}

t.test('literals', async (t) => {
  t.equal(parseDuration('250ms'), 250)
  t.equal(parseDuration('2s'), 2000)
  t.equal(parseDuration('1.5m'), 90_000)
  t.equal(parseDuration('0.5s'), 500)
  t.equal(parseDuration('2 s'), 2000, 'space between number and unit')
  t.equal(parseDuration('  3s  '), 3000, 'trimmed')
  t.equal(parseDuration('1500'), 1500, 'a bare number string is ms')
  t.equal(parseDuration(1500), 1500, 'a number is ms')
  t.equal(parseDuration(0), 0)
  t.equal(parseDuration('0ms'), 0)
  t.equal(parseDuration(12.5), 12.5)
})

t.test('sums and products of literals', async (t) => {
  t.equal(parseDuration('1s + 500ms'), 1500)
  t.equal(parseDuration('3 * 2s'), 6000)
  t.equal(parseDuration('2s * 3'), 6000)
  t.equal(parseDuration('2 * 3'), 6, 'numbers only: ms')
  t.equal(parseDuration('1m+1s+1ms'), 61_001)
})

t.test('timer expressions use the given (scaled) timers', async (t) => {
  t.equal(parseDuration('ping_interval', v15), 120_000)
  t.equal(parseDuration('3 * ping_interval', v15), 360_000)
  t.equal(parseDuration('ping_interval * 3 + 2s', v15), 362_000)
  t.equal(parseDuration('disconnect_after + check_period', v15), 80_000)
  t.equal(parseDuration('disconnect_after + check_period', v15s), 8000)
  t.equal(parseDuration('3 * ping_interval', v15s), 36_000)
  t.equal(parseDuration('45s + 3 * ping_interval', v15s), 81_000)
  t.equal(parseDuration('2 * heartbeat_interval + 30s', v15s), 33_000)
  t.equal(parseDuration('0.5 * heartbeat_interval', v15s), 750)
  t.equal(parseDuration('max_pings_out', v15), 2, 'a count is allowed, as ms')
})

t.test('errors', async (t) => {
  throwsDuration(
    t,
    () => parseDuration('bogus_timer', v15),
    /unknown timer "bogus_timer" \(known: reconnect_wait, reconnect_jitter, ping_interval, max_pings_out, connect_timeout, register_timeout, lame_duck_duration, lame_duck_grace, heartbeat_interval, check_period, disconnect_after, info_interval, resources_interval, max_reconnects\)$/,
    'unknown timer lists known ones',
  )
  throwsDuration(t, () => parseDuration('ping_interval'), /"ping_interval" is a timer name, and timers are not known here/)
  throwsDuration(t, () => parseDuration('heartbeat_interval', v13), /timer "heartbeat_interval" is not defined by this profile/)
  throwsDuration(t, () => parseDuration('disconnect_after + 1s', v13), /timer "disconnect_after" is not defined/)
  throwsDuration(t, () => parseDuration('2s * 3s'), /"2s \* 3s" multiplies two durations/)
  throwsDuration(t, () => parseDuration('ping_interval * check_period', v15), /multiplies two durations/)
  throwsDuration(t, () => parseDuration('2s * ping_interval', v15), /multiplies two durations/)
  throwsDuration(t, () => parseDuration('ping_interval * 2s', v15), /multiplies two durations/)
  throwsDuration(t, () => parseDuration('soon!'), /cannot read "soon!"/)
  throwsDuration(t, () => parseDuration('2h'), /cannot read "2h"/, 'hours are not a unit')
  throwsDuration(t, () => parseDuration('2S'), /cannot read "2S"/, 'units are lowercase')
  throwsDuration(t, () => parseDuration('1s +'), /cannot read "" in ""/, 'dangling +')
  throwsDuration(t, () => parseDuration(''), /empty string/)
  throwsDuration(t, () => parseDuration('   '), /empty string/)
  throwsDuration(t, () => parseDuration(-1), /expected a duration >= 0, got -1/)
  throwsDuration(t, () => parseDuration(Number.NaN), /expected a duration >= 0, got NaN/)
  throwsDuration(t, () => parseDuration(Number.POSITIVE_INFINITY), /got Infinity/)
  throwsDuration(t, () => parseDuration('-5s'), /expected a duration >= 0, got "-5s"/, 'negative literal')
  t.equal(parseDuration('1s - 500ms'), 500, 'subtraction')
  throwsDuration(t, () => parseDuration('500ms - 1s'), /is not a duration >= 0/, 'a negative result')
})

t.test('a name inherited from Object.prototype is an unknown timer, not NaN', async (t) => {
  // `f in timers` also sees the prototype chain: "constructor" passes the check, multiplies by a
  // function, and only the final NaN check catches it, with a message that does not list timers.
  t.test('only own timer names count', async (t) => {
    throwsDuration(t, () => parseDuration('constructor', v15), /unknown timer "constructor" \(known:/)
  })
  // whatever the message, it is refused
  throwsDuration(t, () => parseDuration('constructor', v15), /"constructor"/)
  throwsDuration(t, () => parseDuration('2 * __proto__', v15), /__proto__/)
})

t.test('checkDurationSyntax', async (t) => {
  t.equal(checkDurationSyntax('3 * ping_interval + 2s', TIMER_NAMES), null)
  t.equal(checkDurationSyntax('heartbeat_interval', TIMER_NAMES), null, 'null-in-some-profile timers pass syntax')
  t.equal(checkDurationSyntax(250, TIMER_NAMES), null)
  t.equal(checkDurationSyntax('15s', []), null)
  t.match(checkDurationSyntax('ping_interval', []), /unknown timer "ping_interval" \(known: \)/, 'no timer names allowed')
  t.match(
    checkDurationSyntax('nope_timer', TIMER_NAMES),
    /unknown timer "nope_timer" \(known: reconnect_wait, .*heartbeat_interval, check_period, disconnect_after,.* max_reconnects\)$/,
  )
  t.match(checkDurationSyntax('2s * 3s', TIMER_NAMES), /multiplies two durations/)
  t.match(checkDurationSyntax(-3, TIMER_NAMES), /expected a duration >= 0, got -3/)
  t.match(checkDurationSyntax('x y', TIMER_NAMES), /cannot read "x y"/)
})

t.test("durations past Node's longest timer are refused", async (t) => {
  t.equal(parseDuration(MAX_DURATION_MS), MAX_DURATION_MS)
  t.throws(() => parseDuration(MAX_DURATION_MS + 1), /2147483648 ms is longer than the longest timer Node can set/)
  t.throws(() => parseDuration('40000m'), /"40000m" is longer than the longest timer Node can set \(2\^31 - 1 ms, 24\.8 days\)/)
  t.throws(() => parseDuration('2 * ping_interval', { ping_interval: 2 ** 30 }), /"2 \* ping_interval" is longer/)
  t.match(checkDurationSyntax('40000m', []), /longer than the longest timer/, 'a literal is caught by the syntax check')
  t.equal(checkDurationSyntax('3 * ping_interval', TIMER_NAMES), null, 'a timer expression waits for the real timers')
})
