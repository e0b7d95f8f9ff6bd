import type { SuiteResult } from './junit.ts'

const f = (x: number | null): string => (x === null ? '-' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2))
const ratio = (a: number | null, mde: number | null): string => (a === null || mde === null || a === 0 ? '-' : `x${((a + mde) / a).toFixed(2)}`)

/**
 * What the gate could have seen: per scenario and metric (group all), the baseline's p50 and
 * p95, their spread across the baseline's runs, and the minimum detectable change of each (the
 * allowance of sim/compare/tolerance.ts), in ms and as the factor it amounts to. A metric whose
 * minimum change is a doubling or more is gated loosely; the table says so instead of hiding it.
 */
export const formatSensitivity = (suites: readonly SuiteResult[]): string => {
  const head = ['scenario', 'metric', 'A runs', 'B runs', 'A p50', 'spread', 'min change p50', 'A p95', 'spread', 'min change p95']
  const body = suites.flatMap((s) =>
    s.rows
      .filter((r) => r.group === 'all')
      .map((r) => [
        s.scenario,
        r.metric,
        String(r.a_runs),
        String(r.b_runs),
        f(r.a_p50),
        f(r.spread_p50_ms),
        r.mde_p50_ms === null ? '-' : `+${f(r.mde_p50_ms)} (${ratio(r.a_p50, r.mde_p50_ms)})`,
        f(r.a_p95),
        f(r.spread_p95_ms),
        r.mde_p95_ms === null ? '-' : `+${f(r.mde_p95_ms)} (${ratio(r.a_p95, r.mde_p95_ms)})`,
      ]),
  )
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)))
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ')
  return ['', "sensitivity: the smallest change of the runs' mean each metric would read as regressed (ms)", line(head), ...body.map(line)].join('\n')
}
