import type { CompareRow } from '../compare/compare-sides.ts'

export interface SuiteResult {
  scenario: string
  reportDir: string | null
  /** the scenario's own assertions and waits */
  passed: boolean
  failures: string[]
  rows: CompareRow[]
  /** the seeds of its runs */
  seeds: number[]
  /** an error that stopped the scenario or its compare */
  error?: string
  durationMs: number
}

const esc = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)

/** JUnit XML, as CI systems read it: a suite per scenario, a case per metric, plus one for its assertions. */
export const junitXml = (suites: SuiteResult[]): string => {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites name="netsim regress">']
  for (const s of suites) {
    const cases = [
      { name: 'assertions', failure: s.error ?? (s.passed ? null : s.failures.join('\n')) },
      ...s.rows.map((r) => ({
        name: `${r.group}.${r.metric}`,
        failure: r.verdict === 'regressed' ? `${r.reason} (p50 ${r.a_p50} -> ${r.b_p50} ms, p99 ${r.a_p99} -> ${r.b_p99} ms)` : null,
      })),
    ]
    const failures = cases.filter((c) => c.failure !== null).length
    out.push(`  <testsuite name="${esc(s.scenario)}" tests="${cases.length}" failures="${failures}" time="${(s.durationMs / 1000).toFixed(3)}">`)
    for (const c of cases) {
      out.push(
        `    <testcase classname="netsim.${esc(s.scenario)}" name="${esc(c.name)}">${c.failure === null ? '' : `<failure message="${esc(c.failure.split('\n')[0] ?? '')}">${esc(c.failure)}</failure>`}</testcase>`,
      )
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>')
  return out.join('\n') + '\n'
}

/** The same as TAP 14. */
export const tapReport = (suites: SuiteResult[]): string => {
  const lines = ['TAP version 14']
  let n = 0
  for (const s of suites) {
    lines.push(`${s.error || !s.passed ? 'not ok' : 'ok'} ${++n} - ${s.scenario}: assertions${s.error ? ` # ${s.error}` : ''}`)
    for (const r of s.rows)
      lines.push(`${r.verdict === 'regressed' ? 'not ok' : 'ok'} ${++n} - ${s.scenario}: ${r.group}.${r.metric} ${r.verdict} (${r.reason})`)
  }
  lines.push(`1..${n}`)
  return lines.join('\n') + '\n'
}
