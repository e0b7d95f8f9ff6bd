import type { EventKind, SimEvent } from '../../sim/core/events.ts'

/**
 * Events for unit tests, as loosely as a test needs them: the fields as written, not checked
 * against the kind's shape (tests feed odd and partial events on purpose).
 */
export const ev = (t: number, kind: EventKind, who: { node?: string; orch?: string } = {}, data?: Record<string, unknown>): SimEvent =>
  ({ t, kind, ...who, ...(data === undefined ? {} : { data }) }) as SimEvent

/** The same with every field in one object: `event(5, 'node.pool', { node: 'a', data: { servers: [] } })`. */
export const event = (t: number, kind: EventKind, rest: { node?: string; orch?: string; data?: Record<string, unknown> } = {}): SimEvent =>
  ({ t, kind, ...rest }) as SimEvent

/** An event's data as a plain record: integration tests read fields of events they did not build. */
export const dataOf = (e: { data?: unknown } | undefined): Record<string, unknown> => (e?.data ?? {}) as Record<string, unknown>
