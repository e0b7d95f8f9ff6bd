import type { Socket } from 'node:net'
import type { LaneEffect as LaneMode } from '../../../core/links.ts'
import type { Rng } from '../../../core/rng.ts'

/**
 * One direction of a proxied connection. With no fault it writes straight through (the fast
 * path the overhead benchmark measures); otherwise it swallows, delays (order kept, jitter
 * never reorders) or throttles. Changing the mode back to pass first delivers what was queued.
 */
export class Lane {
  #mode: LaneMode = { mode: 'pass' }
  #queue: { due: number; chunk: Buffer }[] = []
  #timer: NodeJS.Timeout | null = null
  #lastDue = 0
  readonly #dest: Socket
  readonly #source: Socket
  readonly #rng: Rng
  /** bytes swallowed by a black hole, for the record */
  swallowed = 0

  constructor(source: Socket, dest: Socket, rng: Rng) {
    this.#source = source
    this.#dest = dest
    this.#rng = rng
  }

  get mode(): LaneMode['mode'] {
    return this.#mode.mode
  }

  setMode(mode: LaneMode): void {
    this.#mode = mode
    if (mode.mode === 'pass' || mode.mode === 'blackhole') {
      // Heal: in-flight data is delivered, in order, now. (A black hole applied over a delay
      // swallows only what arrives after it.)
      const queued = this.#queue
      this.#queue = []
      if (this.#timer) clearTimeout(this.#timer)
      this.#timer = null
      for (const q of queued) this.#write(q.chunk)
    } else {
      this.#schedule()
    }
  }

  send(chunk: Buffer): void {
    const m = this.#mode
    switch (m.mode) {
      case 'pass':
        this.#write(chunk)
        return
      case 'blackhole':
        this.swallowed += chunk.length
        return
      case 'delay': {
        const jitter = m.jitterMs === 0 ? 0 : (this.#rng.next() * 2 - 1) * m.jitterMs
        const due = Math.max(this.#lastDue, Date.now() + Math.max(0, m.latencyMs + jitter))
        this.#lastDue = due
        this.#queue.push({ due, chunk })
        this.#schedule()
        return
      }
      case 'throttle': {
        const start = Math.max(this.#lastDue, Date.now())
        const due = start + (chunk.length / m.bytesPerSec) * 1000
        this.#lastDue = due
        this.#queue.push({ due, chunk })
        this.#schedule()
        return
      }
    }
  }

  #schedule(): void {
    if (this.#timer || this.#queue.length === 0) return
    const wait = Math.max(0, (this.#queue[0] as { due: number }).due - Date.now())
    this.#timer = setTimeout(() => {
      this.#timer = null
      const now = Date.now()
      while (this.#queue.length > 0 && (this.#queue[0] as { due: number }).due <= now) this.#write((this.#queue.shift() as { chunk: Buffer }).chunk)
      this.#schedule()
    }, wait)
  }

  #write(chunk: Buffer): void {
    if (this.#dest.destroyed) return
    // Back-pressure: a slow reader slows the writer instead of growing a buffer.
    if (!this.#dest.write(chunk)) {
      this.#source.pause()
      this.#dest.once('drain', () => this.#source.resume())
    }
  }

  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#queue = []
  }
}
