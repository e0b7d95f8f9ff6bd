import type { EntryRunner } from '../../../sim/regress/run-regress.ts'
import { metricValues, writeRun, type Values } from '../compare/fixtures.ts'

/**
 * An EntryRunner that writes a synthetic report folder instead of running a scenario: the
 * values `make(seed, call)` returns, as run `<scenario>-<seed>`. Records every call.
 */
export const stubRunner = (make: (seed: number, call: number) => Values, o: { passed?: (seed: number) => boolean } = {}) => {
  const calls: { scenario: string; seed: number; nodes: number | undefined; timers: unknown }[] = []
  const runner: EntryRunner = async (e, opts) => {
    const values = make(opts.seed, calls.length)
    calls.push({ scenario: e.scenario, seed: opts.seed, nodes: e.nodes, timers: opts.timers })
    const runId = `${e.scenario}-${opts.seed}`
    const passed = o.passed?.(opts.seed) ?? true
    const reportDir = writeRun(opts.reportsDir, { scenario: e.scenario, runId, values })
    return { runId, reportDir, passed, failures: passed ? [] : ['reconnect_ms missing = 0 (actual 2)'], values: metricValues(values), binary: null }
  }
  return { runner, calls }
}

/** 30 values from `center` − 10 to `center` + 10, the run shifted by a small amount that depends on `seed`. */
export const runAround = (center: number, seed: number): number[] =>
  Array.from({ length: 30 }, (_, i) => center - 10 + (20 * ((i * 7) % 30)) / 29 + ((seed * 37) % 7) / 3 - 1)
