import { sleep } from './clock.ts'
import { NetsimError } from './errors.ts'
import { abandon } from './abandon.ts'

/**
 * Waiting for something to become true, as testcontainers' WaitStrategy does it: a wait is a
 * small object (what it waits for, how it checks) composed with others and run under one
 * deadline. Every readiness wait of netsim goes through here: a server's ports file and
 * /healthz, a cluster's route mesh, a libp2p gossip mesh, processes dying. When the deadline
 * passes, the error says what was awaited and what was last seen (E_TIMEOUT).
 */
export interface Check<T> {
  /** done: the wait is over with this value; otherwise `seen` describes the current state */
  (): Promise<{ done: true; value: T } | { done: false; seen: string }>
}

export interface WaitStrategy<T> {
  /** what it waits for, e.g. "a full route mesh of 3 servers" */
  readonly what: string
  readonly check: Check<T>
  /** between checks (default 20 ms) */
  readonly everyMs: number
}

export const Wait = {
  /** `probe` returns the value once ready, or a description of what it sees instead. */
  forCheck<T>(what: string, probe: Check<T>, everyMs = 20): WaitStrategy<T> {
    return { what, check: probe, everyMs }
  },

  /** A condition with no value: `state()` describes what it sees, `ok(state)` says whether that is it. */
  forCondition<S>(what: string, state: () => Promise<S> | S, ok: (s: S) => boolean, show: (s: S) => string = String, everyMs = 20): WaitStrategy<S> {
    return {
      what,
      everyMs,
      check: async () => {
        const s = await state()
        return ok(s) ? { done: true, value: s } : { done: false, seen: show(s) }
      },
    }
  },

  /** Every one of `waits`, checked together on each round (the slowest sets the pace). */
  allOf<T>(what: string, waits: readonly WaitStrategy<T>[]): WaitStrategy<T[]> {
    return {
      what,
      everyMs: Math.min(...waits.map((w) => w.everyMs), 1000),
      check: async () => {
        const rs = await Promise.all(waits.map((w) => w.check()))
        const pending = rs.flatMap((r, i) => (r.done ? [] : [`${waits[i]?.what}: ${r.seen}`]))
        if (pending.length > 0) return { done: false, seen: pending.join('; ') }
        return { done: true, value: rs.map((r) => (r as { value: T }).value) }
      },
    }
  },
}

/**
 * Runs `wait` until it is done, `timeoutMs` passes (E_TIMEOUT naming what and what was seen),
 * `signal` aborts, or `giveUp` settles first (a process exiting early: its rejection wins).
 */
export const waitFor = async <T>(wait: WaitStrategy<T>, opts: { timeoutMs: number; signal?: AbortSignal; giveUp?: Promise<never> }): Promise<T> => {
  const deadline = Date.now() + opts.timeoutMs
  let seen = 'nothing checked yet'
  let stop = false
  const loop = (async (): Promise<T> => {
    for (;;) {
      if (opts.signal?.aborted) throw opts.signal.reason instanceof Error ? opts.signal.reason : new NetsimError('E_INTERRUPTED', 'interrupted')
      const r = await wait.check()
      if (r.done) return r.value
      seen = r.seen
      if (stop || Date.now() >= deadline) throw new NetsimError('E_TIMEOUT', `${wait.what}: not within ${opts.timeoutMs} ms (last seen: ${seen})`)
      await sleep(Math.min(wait.everyMs, Math.max(0, deadline - Date.now())), opts.signal)
    }
  })()
  try {
    return await (opts.giveUp === undefined ? loop : Promise.race([loop, opts.giveUp]))
  } finally {
    stop = true
    abandon(loop, 'the race is settled; the loop stops at its next check')
  }
}
