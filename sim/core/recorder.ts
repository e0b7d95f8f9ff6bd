import { makeEvent, type DataOf, type RawEvent, type SimEvent, type EventKind } from './events.ts'
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
    const { at, ...fields } = raw
    const e = { t: this.rel(at), ...fields } as SimEvent
    if (this.aliases.size > 0) this.#unalias(e)
    this.events.push(e)
    this.state.apply(e)
  }

  /** Server addresses as the orchestrators know them, with the proxy a node dialled kept as `via`. */
  #unalias(e: SimEvent): void {
    switch (e.kind) {
      case 'node.connected':
      case 'node.reconnected':
      case 'node.disconnected': {
        const proxy = e.data.server
        const server = proxy === undefined ? undefined : this.aliases.get(proxy)
        if (server !== undefined) e.data = { ...e.data, server, via: proxy }
        break
      }
      case 'node.pool':
        e.data = { ...e.data, servers: e.data.servers.map((s) => this.aliases.get(s) ?? s) }
        break
      default:
        break
    }
  }

  recordBatch(batch: RawEvent[]): void {
    for (const e of batch) this.record(e)
    this.#notify()
  }

  /** An event of the harness itself, stamped now. */
  note<K extends EventKind>(kind: K, about: { orch?: string; node?: string }, data: DataOf<K>): void {
    this.record(makeEvent(kind, about, data, now()))
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
