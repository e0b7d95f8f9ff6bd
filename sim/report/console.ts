import { jobCounts, jobRecords, type AssertionResult, type SummaryRow } from '../metrics/index.ts'
import { errorCounts } from './format/csv.ts'
import type { ProgressCounts } from '../core/output.ts'
import { ProgressDisplay } from './progress-display.ts'
import type { Reporter, RunReport } from './reporter.ts'

/**
 * What a person sees (on stderr): progress while the fleet starts and conditions are awaited
 * (a bar on a terminal, a plain line now and then in CI: progress-display.ts),
 * the summary table, the assertions. The report folder is the CLI's own last line, on stdout.
 * `quiet`: nothing here at all. Lines arrive redacted (reporter.ts).
 */
export interface ConsoleOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean }
  quiet?: boolean
  /** not a terminal: the least time between two progress lines of one wait */
  plainEveryMs?: number
}

export class ConsoleReporter implements Reporter {
  readonly #out: NodeJS.WritableStream & { isTTY?: boolean }
  readonly #quiet: boolean
  readonly #progress: ProgressDisplay

  constructor(opts: ConsoleOptions = {}) {
    this.#out = opts.stream ?? process.stderr
    this.#quiet = opts.quiet ?? false
    this.#progress = new ProgressDisplay(this.#out, {
      tty: this.#out.isTTY === true,
      ...(opts.plainEveryMs === undefined ? {} : { plainEveryMs: opts.plainEveryMs }),
    })
  }

  #write(s: string): void {
    this.#out.write(s)
  }

  onLine(s: string): void {
    this.line(s)
  }

  onProgress(s: string, counts?: ProgressCounts): void {
    this.progress(s, counts)
  }

  /** The summary, the jobs, the errors that ended nodes, the assertions, what timed out. */
  onRunEnd(r: RunReport): void {
    this.summary(r.summary)
    this.jobs(jobCounts(jobRecords(r.events)))
    this.errors(errorCounts(r.events))
    this.assertions(r.assertions)
    for (const t of r.timeouts) this.line(`FAIL ${t}`)
    for (const n of r.notes) this.line(`note ${n}`)
  }

  line(s: string): void {
    if (this.#quiet) return
    this.#progress.end()
    this.#write(s + '\n')
  }

  /** A progress line: a bar (with counts) or a line rewritten in place on a terminal; now and then as a plain line otherwise. */
  progress(s: string, counts?: ProgressCounts): void {
    if (this.#quiet) return
    this.#progress.show(s, counts)
  }

  summary(rows: SummaryRow[]): void {
    if (this.#quiet) return
    const f = (x: number | null) => (x === null ? '-' : x < 10 ? x.toFixed(2) : x < 1000 ? x.toFixed(1) : x.toFixed(0))
    // With one group its rows equal the `all` rows: show them once.
    if (new Set(rows.filter((r) => r.group !== 'all').map((r) => r.group)).size <= 1) rows = rows.filter((r) => r.group === 'all')
    const header = ['group', 'metric', 'count', 'missing', 'min', 'p50', 'p90', 'p99', 'max']
    const body = rows.map((r) => [r.group, r.metric, String(r.count), String(r.missing), f(r.min), f(r.p50), f(r.p90), f(r.p99), f(r.max)])
    const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
    const fmt = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
    this.line('')
    this.line(fmt(header) + '   (ms)')
    for (const b of body) this.line(fmt(b))
  }

  /**
   * What became of the jobs: outcome and reason, and how many lost jobs had finished on their
   * node (their final callback went to an orchestrator that was gone).
   */
  jobs(c: { submitted: number; complete: number; failed: Record<string, number>; lost: Record<string, number>; lostAfterNodeDone: number }): void {
    if (this.#quiet || c.submitted === 0) return
    const list = (m: Record<string, number>) =>
      Object.entries(m)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')
    const failed = Object.values(c.failed).reduce((a, b) => a + b, 0)
    const lost = Object.values(c.lost).reduce((a, b) => a + b, 0)
    this.line('')
    this.line(
      `jobs: ${c.submitted} submitted, ${c.complete} completed, ${failed} failed${failed ? ` (${list(c.failed)})` : ''}, ${lost} lost${lost ? ` (${list(c.lost)})` : ''}`,
    )
    if (c.lostAfterNodeDone > 0)
      this.line(`  ${c.lostAfterNodeDone} of the lost jobs ran to the end on their node: the callback went to an orchestrator that was gone`)
  }

  /** Which errors ended nodes, per group. */
  errors(counts: Map<string, Map<string, number>>): void {
    if (this.#quiet || counts.size === 0) return
    this.line('')
    for (const [group, m] of counts) this.line(`errors in ${group}: ${[...m].map(([k, n]) => `${n} x ${k}`).join(', ')}`)
  }

  assertions(results: AssertionResult[]): void {
    if (this.#quiet || results.length === 0) return
    this.line('')
    for (const r of results) this.line(`${r.ok ? 'ok  ' : 'FAIL'} ${r.text}  (actual: ${r.actual ?? 'no value'})`)
  }
}
