/**
 * Where a run's lines for people go (the console reporter, sim/report/console.ts, or nothing):
 * steps and the run lifecycle write through this and never to a stream themselves. Every line
 * passes the run's redactor before any reporter sees it.
 */
export interface RunOutput {
  /** a line of the run's account */
  line(s: string): void
  /** a progress line: rewritten in place on a terminal, printed as a line otherwise */
  progress(s: string): void
}

export const SILENT: RunOutput = { line: () => undefined, progress: () => undefined }
