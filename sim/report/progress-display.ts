import cliProgress from 'cli-progress'
import type { ProgressCounts } from '../core/output.ts'

/**
 * How the console shows a long wait (the fleet starting, a `wait_for`): on a terminal, a bar
 * (cli-progress) with the counts, the time so far and an estimate of the time left, redrawn in
 * place; elsewhere (CI logs, a pipe) a plain line when a wait starts and then at most one every
 * `plainEveryMs`, so a log shows that it moves without a line per tick. The wait's own closing
 * line ("discovered: 30/30 nodes in 1.2 s") comes from the run as a normal line.
 */
export interface ProgressOptions {
  tty: boolean
  /** non-TTY: the least time between two lines of one wait */
  plainEveryMs?: number
  now?: () => number
}

/** cli-progress redraws on a timer of its own; unref'd, it never holds a finished process open. */
class Bar extends cliProgress.SingleBar {
  override render(): void {
    super.render()
    ;(this as unknown as { timer?: NodeJS.Timeout | null }).timer?.unref?.()
  }
}

export const PLAIN_EVERY_MS = 10_000

interface BarParams {
  progress: number
  value: number
  total: number
  eta: number
  startTime: number
}

/** `  discovered [████░░░░] 12/30 | 3 s | ~4 s left`; no estimate until something has moved. */
const barLine =
  (label: string) =>
  (options: cliProgress.Options, p: BarParams): string => {
    const bar = cliProgress.Format.BarFormat(p.progress, options)
    const elapsed = Math.round((Date.now() - p.startTime) / 1000)
    const left = p.value > 0 && Number.isFinite(p.eta) && p.value < p.total ? ` | ~${Math.max(1, Math.round(p.eta))} s left` : ''
    return `  ${label} [${bar}] ${p.value}/${p.total} | ${elapsed} s${left}`
  }

export class ProgressDisplay {
  readonly #out: NodeJS.WritableStream
  readonly #tty: boolean
  readonly #every: number
  readonly #now: () => number
  #bar: { bar: Bar; label: string } | null = null
  /** an in-place line without counts is open (TTY) */
  #open = false
  /** non-TTY: when each wait last printed */
  readonly #printed = new Map<string, number>()

  constructor(out: NodeJS.WritableStream, o: ProgressOptions) {
    this.#out = out
    this.#tty = o.tty
    this.#every = o.plainEveryMs ?? PLAIN_EVERY_MS
    this.#now = o.now ?? Date.now
  }

  show(line: string, counts?: ProgressCounts): void {
    if (!this.#tty) return this.#plain(line, counts)
    if (counts === undefined || counts.total <= 0) {
      this.#stopBar()
      this.#out.write(`\r\x1b[2K${line}`)
      this.#open = true
      return
    }
    if (this.#open) this.#out.write('\r\x1b[2K')
    this.#open = false
    if (this.#bar?.label !== counts.label) {
      this.#stopBar()
      const bar = new Bar(
        {
          stream: this.#out,
          format: barLine(counts.label),
          barsize: 28,
          hideCursor: false,
          // the wait's closing line replaces the bar ("discovered: 30/30 nodes in 1.2 s")
          clearOnComplete: true,
          stopOnComplete: false,
          etaBuffer: 20,
          fps: 4,
        },
        cliProgress.Presets.shades_classic,
      )
      bar.start(counts.total, counts.done)
      this.#bar = { bar, label: counts.label }
      return
    }
    this.#bar.bar.setTotal(counts.total)
    this.#bar.bar.update(counts.done)
  }

  /** Before a normal line: the bar stays on screen as it last was, the line goes below it. */
  end(): void {
    this.#printed.clear() // the next wait prints its first line at once
    this.#stopBar()
    if (this.#open) this.#out.write('\n')
    this.#open = false
  }

  #stopBar(): void {
    if (this.#bar === null) return
    this.#bar.bar.stop()
    this.#bar = null
  }

  #plain(line: string, counts?: ProgressCounts): void {
    const key = counts?.label ?? line.replace(/[\d.]+/g, '#')
    const last = this.#printed.get(key)
    const t = this.#now()
    if (last !== undefined && t - last < this.#every) return
    this.#printed.set(key, t)
    this.#out.write(line + '\n')
  }
}
