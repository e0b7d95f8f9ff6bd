import { now } from '../../core/clock.ts'
import type { Libp2pTimers } from '../../model/libp2p-timers.ts'

/**
 * When a libp2p-mode node publishes its node info, as Bacalhau's NodeInfoPublisher does
 * (pkg/routing/node_info_publisher.go): a ticker every `info_eager_interval` until
 * `info_eager_duration` has passed since start, then a ticker every `info_interval` started at
 * that moment. Tickers fire after their first period, so there is no publish at start itself:
 * with the defaults the first info leaves 5 s after start, then 10, 15, 20, 25, 60, 90 s…
 */

/** Publish times (ms after start) up to `until`: the schedule as data, for tests. */
export const publishOffsets = (t: Pick<Libp2pTimers, 'info_interval' | 'info_eager_interval' | 'info_eager_duration'>, until: number): number[] => {
  const out: number[] = []
  for (let at = t.info_eager_interval; at < t.info_eager_duration && at <= until; at += t.info_eager_interval) out.push(at)
  for (let at = t.info_eager_duration + t.info_interval; at <= until; at += t.info_interval) out.push(at)
  return out
}

/** Runs the schedule, calling `publish` at each tick; returns a function that stops it. */
export const startInfoSchedule = (t: Libp2pTimers, publish: () => void): (() => void) => {
  const start = now()
  let eager: NodeJS.Timeout | null = setInterval(() => {
    // A tick that lands on the end of the eager phase belongs to neither phase (in Go the two
    // race); dropping it keeps runs reproducible.
    if (now() - start < t.info_eager_duration) publish()
  }, t.info_eager_interval)
  let standard: NodeJS.Timeout | null = null
  const switchOver = setTimeout(() => {
    if (eager) clearInterval(eager)
    eager = null
    standard = setInterval(publish, t.info_interval)
  }, t.info_eager_duration)
  return () => {
    if (eager) clearInterval(eager)
    if (standard) clearInterval(standard)
    clearTimeout(switchOver)
    eager = null
    standard = null
  }
}
