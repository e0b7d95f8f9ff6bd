import type { RawEvent, SimEvent, EventKind } from './events.ts'
import { now } from './clock.ts'
import { LiveState } from './live-state.ts'

/**
 * The run's event log. Agents' readings (absolute, see clock.ts) become run-relative times;
 * every event also updates the live state, and anyone waiting on a condition is woken once per
 * batch rather than once per event.
 */
export class Recorder {
  readonly startedAt: number
  readonly events: SimEvent[] = []
  readonly state = new LiveState()
  /** link proxy address -> the server behind it: nodes behind proxies report the proxy */
  aliases: ReadonlyMap<string, string> = new Map()
  #listeners = new Set<() => void>()
  #notifyTimer: NodeJS.Timeout | null = null

  constructor(startedAt = now()) {
    this.startedAt = startedAt
  }

  /** Milliseconds since the run started, rounded to µs. */
  rel(at: number): number {
    return Math.round((at - this.startedAt) * 1000) / 1000
  }

  record(raw: RawEvent): void {
    const e: SimEvent = { t: this.rel(raw.at), kind: raw.kind }
    if (raw.node !== undefined) e.node = raw.node
    if (raw.orch !== undefined) e.orch = raw.orch
    if (raw.data !== undefined) e.data = this.aliases.size > 0 && raw.node !== undefined ? this.#unalias(raw.data) : raw.data
    this.events.push(e)
    this.state.apply(e)
  }

  /** Server addresses as the orchestrators know them, with the proxy kept as `via`. */
  #unalias(data: Record<string, unknown>): Record<string, unknown> {
    const server = data.server
    if (typeof server === 'string' && this.aliases.has(server)) return { ...data, server: this.aliases.get(server), via: server }
    const servers = data.servers
    if (Array.isArray(servers)) return { ...data, servers: servers.map((s: string) => this.aliases.get(s) ?? s) }
    return data
  }

  recordBatch(batch: RawEvent[]): void {
    for (const e of batch) this.record(e)
    this.#notify()
  }

  /** An event of the harness itself, stamped now. */
  note(kind: EventKind, fields: { orch?: string; node?: string; data?: Record<string, unknown> } = {}): void {
    this.record({ at: now(), kind, ...fields })
    this.#notify()
  }

  /** Conditions are checked at most every 20 ms: at 10,000 nodes, batches arrive faster than
   *  a condition over every node can be evaluated. */
  #notify(): void {
    if (this.#notifyTimer || this.#listeners.size === 0) return
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = null
      for (const l of this.#listeners) l()
    }, 20)
  }

  /**
   * Resolves true as soon as `check()` holds, false when `timeoutMs` passes; `onProgress` is
   * called at most every `progressMs`. Rejects when `signal` aborts.
   */
  waitUntil(check: () => boolean, opts: { timeoutMs: number; signal?: AbortSignal; onTick?: () => void; tickMs?: number }): Promise<boolean> {
    return new Promise((resolve, reject) => {
      if (check()) return resolve(true)
      const done = (v: boolean | Error) => {
        this.#listeners.delete(listener)
        clearTimeout(timer)
        clearInterval(ticker)
        opts.signal?.removeEventListener('abort', onAbort)
        if (v instanceof Error) reject(v)
        else resolve(v)
      }
      const listener = () => {
        if (check()) done(true)
      }
      const onAbort = () => done(opts.signal?.reason instanceof Error ? opts.signal.reason : new Error('aborted'))
      const timer = setTimeout(() => done(check()), opts.timeoutMs)
      const ticker = setInterval(() => opts.onTick?.(), opts.tickMs ?? 500)
      this.#listeners.add(listener)
      opts.signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
