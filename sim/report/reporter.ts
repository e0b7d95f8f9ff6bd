import type { ProgressCounts, RunOutput } from '../core/output.ts'
import type { SimEvent } from '../core/events.ts'
import type { AssertionResult, MetricValue, SummaryRow } from '../metrics/index.ts'
import type { LagWindow } from '../platform/lag-monitor.ts'
import type { RunPlan } from '../plan/run-plan.ts'
import type { AtomicDir } from '../platform/atomic-dir.ts'

/**
 * A reporter follows a run (vitest's Reporter: objects with optional hooks). The console prints
 * it, the files reporter writes the CSVs and run.json, the HTML reporter report.html. The run
 * calls the hooks through a ReporterBus, which redacts every line once, before any reporter sees
 * it: no reporter can leak a token the run knows of.
 */
export interface RunStart {
  runId: string
  plan: RunPlan
}

/** Everything a run produced, for the reporters and the caller. */
export interface RunReport {
  runId: string
  plan: RunPlan
  events: SimEvent[]
  values: MetricValue[]
  summary: SummaryRow[]
  assertions: AssertionResult[]
  /** wait_for steps that timed out, and chaos invariants broken */
  timeouts: string[]
  /** wait_for steps with `on_timeout: note` that timed out: reported, not failures */
  notes: string[]
  passed: boolean
  startedIso: string
  durationMs: number
  /** the harness's event-loop lag and CPU per measured window */
  lag: LagWindow[]
  /** nats-server, for its version in run.json; null when there is none */
  binary: string | null
  /** the nats.go reference client's versions, when it ran the nodes (`client: nats.go`) */
  clientVersions?: { nats_go: string; go: string }
}

export interface Reporter {
  onRunStart?(start: RunStart): void
  /** a line of the run's account (redacted) */
  onLine?(line: string): void
  /** a progress line (redacted), with its counts when the wait has them */
  onProgress?(line: string, counts?: ProgressCounts): void
  /** the run ended; file reporters write into `dir`, the report folder committed after every reporter */
  onRunEnd?(report: RunReport, dir: AtomicDir): Promise<void> | void
}

/** The run's one output stream: every line redacted once, then handed to each reporter in order. */
export class ReporterBus implements RunOutput {
  readonly #reporters: readonly Reporter[]
  readonly #redact: (s: string) => string

  constructor(reporters: readonly Reporter[], redact: (s: string) => string = (s) => s) {
    this.#reporters = reporters
    this.#redact = redact
  }

  line(s: string): void {
    const r = this.#redact(s)
    for (const x of this.#reporters) x.onLine?.(r)
  }

  progress(s: string, counts?: ProgressCounts): void {
    const r = this.#redact(s)
    const c = counts === undefined ? undefined : { ...counts, label: this.#redact(counts.label) }
    for (const x of this.#reporters) x.onProgress?.(r, c)
  }

  runStart(start: RunStart): void {
    for (const x of this.#reporters) x.onRunStart?.(start)
  }

  /** In order: the HTML reporter reads the files the files reporter wrote before it. */
  async runEnd(report: RunReport, dir: AtomicDir): Promise<void> {
    const safe = { ...report, timeouts: report.timeouts.map(this.#redact), notes: report.notes.map(this.#redact) }
    for (const x of this.#reporters) await x.onRunEnd?.(safe, dir)
  }
}
