/**
 * Bacalhau's heartbeat-server arithmetic (docs/design.md, "Orchestrator"), as pure functions.
 *
 * - Heartbeats are stamped on receipt in whole Unix seconds, and "now" is read the same way.
 * - A node is stale when `lastSecond < disconnectedUnder`, where `disconnectedUnder` is the
 *   whole second of `now − timeout`: for a whole-second timeout, `lastSecond + timeout < now`,
 *   a strict comparison. Staleness is only acted on at a check tick.
 * - From v1.5 the check period is not a setting: it is the disconnect timeout divided by 3,
 *   kept within 1–30 s.
 *
 * Under a time scale a "second" is `1000 × scale` ms, so the whole-second rounding scales with
 * every other timer: at scale 0.1 a 60 s timeout is 600 of those 100 ms seconds.
 */

/** The v1.5 heartbeat server's factor and bounds for the derived check period (ms, Bacalhau's units). */
export const CHECK_PERIOD_FACTOR = 3
export const MIN_CHECK_PERIOD = 1_000
export const MAX_CHECK_PERIOD = 30_000

/** v1.5's check period for a disconnect timeout (both in Bacalhau's real ms, before scaling). */
export const derivedCheckPeriod = (disconnectAfterMs: number): number =>
  Math.min(MAX_CHECK_PERIOD, Math.max(MIN_CHECK_PERIOD, disconnectAfterMs / CHECK_PERIOD_FACTOR))

/** The length of one of Bacalhau's seconds in a run at `timeScale` (1000 ms at scale 1). */
export const secondMs = (timeScale: number): number => 1000 * timeScale

/** A clock reading (epoch ms) as the heartbeat server stamps it: whole (scaled) Unix seconds, truncated. */
export const wholeSeconds = (epochMs: number, second: number): number => Math.floor(epochMs / second)

/** The whole second under which a last heartbeat is stale: the second of `now − timeout`. */
export const disconnectedUnder = (nowMs: number, timeoutMs: number, second: number): number => wholeSeconds(nowMs - timeoutMs, second)

/** Whether a node last heard at whole second `lastSecond` is stale at `nowMs` (strict `<`). */
export const isStale = (lastSecond: number, nowMs: number, timeoutMs: number, second: number): boolean =>
  lastSecond < disconnectedUnder(nowMs, timeoutMs, second)

/**
 * Whether an orchestrator of this version runs a heartbeat server, and so reads a node's
 * connection from heartbeats alone: it subscribes to heartbeats and checks them (v1.3.1 on).
 */
export const runsHeartbeatServer = (t: {
  heartbeatSubjects: readonly string[]
  checkPeriod: number | null
  disconnectAfter: number | null
}): boolean => t.heartbeatSubjects.length > 0 && t.checkPeriod !== null && t.disconnectAfter !== null
