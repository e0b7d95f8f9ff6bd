/**
 * Durations in scenarios and flags: a number (milliseconds), a string with a unit
 * (`250ms`, `2s`, `1.5m`), or an expression over the run's scaled protocol timers, so a
 * scenario can wait "one disconnect timeout plus a check period" whatever the profile and
 * time scale: `disconnect_after + check_period`, `3 * ping_interval`, `ping_interval * 3 - 500ms`.
 */
export type DurationSpec = number | string

/** Timer values by name (ms; null: not defined by the profile), for expressions. */
export type TimerValues = Readonly<Record<string, number | null>>

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 }
const LITERAL = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/
const NUMBER = /^\d+(?:\.\d+)?$/
const NAME = /^[a-z_]+$/

export class DurationError extends Error {}

/**
 * The longest duration netsim accepts: Node's timers hold at most 2^31 − 1 ms (24.8 days) and
 * fire after 1 ms when given more, so `wait: 40000m` would pass at once.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1

const term = (raw: string, timers: TimerValues | undefined): number => {
  const factors = raw.split('*').map((f) => f.trim())
  let value = 1
  let sawDuration = false
  for (const f of factors) {
    const lit = LITERAL.exec(f)
    if (lit) {
      value *= Number(lit[1]) * (UNIT_MS[lit[2] as string] as number)
      if (sawDuration) throw new DurationError(`"${raw}" multiplies two durations`)
      sawDuration = true
    } else if (NUMBER.test(f)) {
      value *= Number(f)
    } else if (NAME.test(f)) {
      if (!timers) throw new DurationError(`"${f}" is a timer name, and timers are not known here`)
      if (!Object.hasOwn(timers, f)) throw new DurationError(`unknown timer "${f}" (known: ${Object.keys(timers).join(', ')})`)
      const v = timers[f] as number | null
      if (v === null) throw new DurationError(`timer "${f}" is not defined by this profile`)
      if (sawDuration) throw new DurationError(`"${raw}" multiplies two durations`)
      value *= v
      sawDuration = true
    } else {
      throw new DurationError(`cannot read "${f}" in "${raw}"`)
    }
  }
  // A bare number in an expression is milliseconds, as it is on its own.
  return value
}

/** Milliseconds for a duration spec; throws DurationError with a message fit for a user. */
export const parseDuration = (spec: DurationSpec, timers?: TimerValues): number => {
  if (typeof spec === 'number') {
    if (!Number.isFinite(spec) || spec < 0) throw new DurationError(`expected a duration >= 0, got ${spec}`)
    return checkRange(spec, spec)
  }
  const text = spec.trim()
  if (text === '') throw new DurationError('expected a duration, got an empty string')
  if (/^[-+]/.test(text)) throw new DurationError(`expected a duration >= 0, got "${text}"`)
  // Terms joined by + and -: `3 * ping_interval - 500ms`.
  const parts = text.split(/\s*([+-])\s*/)
  let total = term((parts[0] as string).trim(), timers)
  for (let k = 1; k < parts.length; k += 2) {
    const v = term((parts[k + 1] ?? '').trim(), timers)
    total = parts[k] === '+' ? total + v : total - v
  }
  if (!Number.isFinite(total) || total < 0) throw new DurationError(`"${spec}" is not a duration >= 0`)
  return checkRange(total, spec)
}

const checkRange = (ms: number, spec: DurationSpec): number => {
  if (ms > MAX_DURATION_MS)
    throw new DurationError(
      `${typeof spec === 'string' ? `"${spec}"` : `${spec} ms`} is longer than the longest timer Node can set (2^31 - 1 ms, 24.8 days)`,
    )
  return ms
}

/** Checks the syntax without timers (for validation before a run's timers are known). */
export const checkDurationSyntax = (spec: DurationSpec, timerNames: readonly string[]): string | null => {
  // Timers are large here so that `timer - 500ms` is not taken for a negative duration; the
  // range is checked once the run's timers are known, unless the spec names none.
  const fake = Object.fromEntries(timerNames.map((n) => [n, 1e8])) as TimerValues
  try {
    parseDuration(spec, fake)
    return null
  } catch (e) {
    const message = (e as Error).message
    const namesTimer = typeof spec === 'string' && timerNames.some((n) => spec.includes(n))
    return namesTimer && message.includes('longest timer') ? null : message
  }
}
