/**
 * Where a run's lines for people go (the console reporter, sim/report/console.ts, or nothing):
 * steps and the run lifecycle write through this and never to a stream themselves. Every line
 * passes the run's redactor before any reporter sees it.
 */
export interface RunOutput {
  /** a line of the run's account */
  line(s: string): void
  /**
   * A progress line of a long wait. With `counts`, a terminal shows a bar with an estimate of
   * the time left; elsewhere (CI) the line is printed now and then, never at every tick.
   */
  progress(s: string, counts?: ProgressCounts): void
}

/** How far a wait has got: `label` names it (one bar per label), `done` of `total` items. */
export interface ProgressCounts {
  label: string
  done: number
  total: number
}

export const SILENT: RunOutput = { line: () => undefined, progress: () => undefined }
