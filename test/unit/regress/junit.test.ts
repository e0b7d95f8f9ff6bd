import t from 'tap'
import { junitXml, tapReport, type SuiteResult } from '../../../sim/regress/junit.ts'
import type { CompareRow } from '../../../sim/compare/compare-sides.ts'

const row = (metric: string, verdict: CompareRow['verdict']): CompareRow => ({
  metric,
  group: 'all',
  a_count: 3,
  b_count: 3,
  a_missing: 0,
  b_missing: 0,
  a_p50: 10,
  b_p50: verdict === 'regressed' ? 30 : 10,
  a_p95: 12,
  b_p95: 12,
  a_p99: 13,
  b_p99: 13,
  p50_diff_ms: 0,
  p99_diff_ms: 0,
  p_value: 0.5,
  verdict,
  reason: verdict === 'regressed' ? 'p50 +20 ms <worse>' : 'no difference',
  a_runs: 3,
  b_runs: 1,
  spread_p50_ms: 1,
  spread_p95_ms: 1,
  mde_p50_ms: 5,
  mde_p95_ms: 5,
})

const suites: SuiteResult[] = [
  {
    scenario: 'failover',
    reportDir: '/r/1',
    passed: true,
    failures: [],
    rows: [row('reconnect_ms', 'same'), row('detect_ms', 'regressed')],
    seeds: [7],
    durationMs: 1500,
  },
  { scenario: 'partition', reportDir: null, passed: false, failures: [], rows: [], error: 'no baseline for partition', seeds: [7], durationMs: 10 },
]

t.test('JUnit: a suite per scenario, a case per metric, failures for regressions and errors', async (t) => {
  const xml = junitXml(suites)
  t.match(xml, /<testsuite name="failover" tests="3" failures="1" time="1.500">/)
  t.match(xml, /<testcase classname="netsim.failover" name="all.detect_ms"><failure message="p50 \+20 ms &lt;worse&gt;/)
  t.match(xml, /<testcase classname="netsim.failover" name="all.reconnect_ms"><\/testcase>/)
  t.match(xml, /<testsuite name="partition" tests="1" failures="1"/)
  t.match(xml, /<failure message="no baseline for partition">/)
})

t.test('TAP: one line per check, numbered, with a plan', async (t) => {
  const tap = tapReport(suites)
  t.same(tap.trim().split('\n'), [
    'TAP version 14',
    'ok 1 - failover: assertions',
    'ok 2 - failover: all.reconnect_ms same (no difference)',
    'not ok 3 - failover: all.detect_ms regressed (p50 +20 ms <worse>)',
    'not ok 4 - partition: assertions # no baseline for partition',
    '1..4',
  ])
})
