import { sleep } from '../../../../sim/core/clock.ts'
import type { RawEvent } from '../../../../sim/core/events.ts'

/** Polls until `check` holds; a wait-for-condition, never a fixed sleep. */
export const waitFor = async (what: string, check: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (check()) return
    await sleep(10)
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

/** Events of one kind, optionally narrowed to a node and/or an orchestrator. */
export const eventsOf = (events: RawEvent[], kind: RawEvent['kind'], where: { node?: string; orch?: string } = {}): RawEvent[] =>
  events.filter((e) => e.kind === kind && (where.node === undefined || e.node === where.node) && (where.orch === undefined || e.orch === where.orch))
