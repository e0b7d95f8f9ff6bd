import type { RawEvent } from '../core/events.ts'

/**
 * Agents (compute workers, orchestrator control planes) send events to the harness over IPC in
 * batches: one message per flush instead of one per event keeps the IPC channel and both event
 * loops cheap when thousands of nodes change state at once (a failover).
 */
export class EventBatcher {
  #pending: RawEvent[] = []
  #timer: NodeJS.Timeout | null = null
  readonly #send: (events: RawEvent[]) => void
  readonly #intervalMs: number
  readonly #maxBatch: number

  constructor(send: (events: RawEvent[]) => void, opts: { intervalMs?: number; maxBatch?: number } = {}) {
    this.#send = send
    this.#intervalMs = opts.intervalMs ?? 25
    this.#maxBatch = opts.maxBatch ?? 2_000
  }

  push(event: RawEvent): void {
    this.#pending.push(event)
    if (this.#pending.length >= this.#maxBatch) this.flush()
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs)
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
    if (this.#pending.length === 0) return
    const batch = this.#pending
    this.#pending = []
    this.#send(batch)
  }
}

/** Messages from an agent process to the harness. */
export type AgentMessage =
  | { type: 'events'; events: RawEvent[] }
  | { type: 'ready'; [k: string]: unknown }
  | { type: 'stopped' }
  | { type: 'restarted'; restarted: number; failed: number }
  | { type: 'bids'; asked: number; ok: number }
  | { type: 'connected'; failures: string[] }
  | { type: 'mesh'; peers: string[] }
  | { type: 'fatal'; message: string; code?: string }
  | { type: 'rogue'; messages: number; firstMs: number | null; subjects: string[] }

/** process.send as a promise-free fire-and-forget that tolerates a closed channel. */
export const sendToParent = (msg: AgentMessage): void => {
  if (process.connected) process.send?.(msg)
}
