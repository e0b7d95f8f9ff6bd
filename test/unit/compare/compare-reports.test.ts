import t, { type Test } from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compareReports, compareToBaseline } from '../../../sim/compare/compare-reports.ts'
import { COMPARE_COLUMNS, parseCompareCsv } from '../../../sim/report/format/compare-csv.ts'
import { formatCompareTable } from '../../../sim/compare/format-table.ts'
import { isNetsimError, type ErrorCode } from '../../../sim/core/errors.ts'
import { around, baselineCsv, writeRun } from './fixtures.ts'

/** `fn` throws a NetsimError with `code` whose message satisfies `ok`. */
const throwsNetsim = (t: Test, fn: () => unknown, code: ErrorCode, ok: (message: string) => boolean = () => true) => {
  try {
    fn()
    t.fail(`expected ${code}`)
  } catch (e) {
    t.ok(isNetsimError(e, code), `${code}: ${(e as Error).message}`)
    t.ok(ok((e as Error).message), (e as Error).message)
  }
}

const row = (rows: { metric: string; group: string }[], metric: string, group = 'all') => {
  const r = rows.find((x) => x.metric === metric && x.group === group)
  if (r === undefined) throw new Error(`no row ${group}.${metric}`)
  return r as ReturnType<typeof compareReports>['rows'][number]
}

t.test('verdicts: worse, identical, better, under the absolute floor', async (t) => {
  // single runs: no run-to-run spread known, so the floors (10 %, 1 ms) set the allowance
  const dir = t.testdir()
  const a = writeRun(dir, {
    runId: 'a',
    values: { reconnect_ms: around(100, 20), detect_ms: around(50, 10), resume_ms: around(1500, 100), connect_ms: around(1.0, 0.2) },
  })
  const b = writeRun(dir, {
    runId: 'b',
    values: { reconnect_ms: around(200, 20), detect_ms: around(50, 10), resume_ms: around(900, 100), connect_ms: around(1.6, 0.2) },
  })
  const r = compareReports(a, b)
  t.equal(row(r.rows, 'reconnect_ms').verdict, 'regressed', 'clearly worse')
  t.ok((row(r.rows, 'reconnect_ms').p_value as number) < 0.01)
  t.equal(row(r.rows, 'reconnect_ms').p50_diff_ms, 100)
  t.equal(row(r.rows, 'detect_ms').verdict, 'same', 'identical distributions')
  t.equal(row(r.rows, 'detect_ms').p_value, 1)
  t.equal(row(r.rows, 'resume_ms').verdict, 'improved', 'clearly better')
  const tiny = row(r.rows, 'connect_ms')
  t.ok((tiny.p_value as number) < 0.01, 'a 0.6 ms shift is significant...')
  t.equal(tiny.verdict, 'same', '...but under the 1 ms floor')
  t.match(tiny.reason, /^within ±1\.00 \(p50\), ±1\.00 \(p95\)$/)
  t.strictSame(
    r.regressions.map((x) => x.metric),
    ['reconnect_ms'],
  )
  t.strictSame(
    r.rows.map((x) => x.metric),
    ['connect_ms', 'detect_ms', 'reconnect_ms', 'resume_ms'],
    'report order',
  )
})

t.test('a large shift that is not significant (few values) stays same', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: [100, 300] } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: [200, 400] } })
  const r = row(compareReports(a, b).rows, 'reconnect_ms')
  t.equal(r.verdict, 'same')
  t.match(r.reason, /not significant/)
})

t.test('missing growing from 0 regresses, whatever the timings', async (t) => {
  const dir = t.testdir()
  const same = around(100, 20)
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: same } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: [...same, null, null] } })
  const r = row(compareReports(a, b).rows, 'reconnect_ms')
  t.equal(r.a_missing, 0)
  t.equal(r.b_missing, 2)
  t.equal(r.verdict, 'regressed')
  t.match(r.reason, /missing 0 → 2/)
  // and back: fewer missing is not a regression
  t.equal(row(compareReports(b, a).rows, 'reconnect_ms').verdict, 'same')
})

t.test('a count metric (flap_ms) present on one side only is compared, not an error', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(100, 20), flap_ms: [7000, 7100] } })
  t.equal(row(compareReports(a, b).rows, 'flap_ms').verdict, 'regressed')
  t.equal(row(compareReports(b, a).rows, 'flap_ms').verdict, 'improved')
})

t.test('per-metric tolerance and alpha come from the settings', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20), detect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(200, 20), detect_ms: around(200, 20) } })
  const r = compareReports(a, b, { settings: { metrics: { reconnect_ms: { relative: 1.5 } } } })
  t.equal(row(r.rows, 'reconnect_ms').verdict, 'same', '+100% is inside a 150% tolerance')
  t.equal(row(r.rows, 'detect_ms').verdict, 'regressed', 'the default still applies to other metrics')
  const floor = compareReports(a, b, { settings: { default: { absolute_ms: 500 } } })
  t.equal(row(floor.rows, 'detect_ms').verdict, 'same', 'absolute floor above the shift')
  // every value of B is beyond A's p95: the tail test's p is 0.05^40 ~ 1e-52
  const strict = compareReports(a, b, { settings: { alpha: 1e-60 } })
  t.equal(row(strict.rows, 'detect_ms').verdict, 'same', 'nothing is that significant')
  throwsNetsim(
    t,
    () => compareReports(a, b, { settings: { alpha: 2 } }),
    'E_CONFIG',
    (msg) => /compare\.alpha/.test(msg),
  )
  throwsNetsim(t, () => compareReports(a, b, { settings: { metrics: { x: { relativ: 1 } } } as never }), 'E_CONFIG')
})

t.test('groups: all by default; listed groups; every group with *', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', group: 'edge', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', group: 'edge', values: { reconnect_ms: around(100, 20) } })
  t.strictSame(
    compareReports(a, b).rows.map((r) => r.group),
    ['all'],
  )
  t.strictSame(
    compareReports(a, b, { settings: { groups: ['*'] } }).rows.map((r) => r.group),
    ['all', 'edge'],
  )
  t.strictSame(
    compareReports(a, b, { settings: { groups: ['edge'] } }).rows.map((r) => r.group),
    ['edge'],
  )
  throwsNetsim(
    t,
    () => compareReports(a, b, { settings: { groups: ['core'] } }),
    'E_USAGE',
    (msg) => /group "core"/.test(msg),
  )
})

t.test('errors: different scenarios, different metric sets, not a report', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', scenario: 'failover', values: { reconnect_ms: [1, 2], detect_ms: [1] } })
  const d = writeRun(dir, { runId: 'd', scenario: 'discovery', values: { reconnect_ms: [1, 2], detect_ms: [1] } })
  const m = writeRun(dir, { runId: 'm', scenario: 'failover', values: { reconnect_ms: [1, 2], resume_ms: [3] } })
  throwsNetsim(
    t,
    () => compareReports(a, d),
    'E_USAGE',
    (msg) => /different scenarios/.test(msg) && /"failover"/.test(msg) && /"discovery"/.test(msg),
  )
  throwsNetsim(
    t,
    () => compareReports(a, m),
    'E_USAGE',
    (msg) => /different metric sets/.test(msg) && /only in A \(a\): detect_ms/.test(msg) && /only in B \(m\): resume_ms/.test(msg),
  )
  throwsNetsim(
    t,
    () => compareReports(a, join(dir, 'nope')),
    'E_USAGE',
    (msg) => /no report folder/.test(msg),
  )
  throwsNetsim(
    t,
    () => compareReports(a, dir),
    'E_USAGE',
    (msg) => /no samples\.csv/.test(msg),
  )
  writeFileSync(join(m, 'samples.csv'), 'run_id,scenario,group,node,metric,value_ms\nm,failover,compute,n1,reconnect_ms,fast\n')
  throwsNetsim(
    t,
    () => compareReports(a, m),
    'E_CONFIG',
    (msg) => /samples\.csv:2: value_ms "fast" is not a number/.test(msg),
  )
})

t.test('baselines: pooled runs, missing or corrupt file says how to create it', async (t) => {
  const dir = t.testdir({ baselines: {} })
  const base = join(dir, 'baselines', 'failover.csv')
  writeFileSync(
    base,
    baselineCsv(
      'failover',
      [100, 104, 98].map((c) => ({ reconnect_ms: around(c, 20, 20) })),
    ),
  )
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(250, 20) } })
  // the rule at false_alarm 0.001 (t(0.999, 2) for three runs): the mechanism, not the default, is under test
  const r = compareToBaseline(b, base, { settings: { false_alarm: 0.001 } })
  const x = row(r.rows, 'reconnect_ms')
  t.equal(x.a_count, 60, 'three runs pooled')
  t.equal(x.a_missing, 0, 'a baseline records every missing value as an empty cell: none means none')
  t.equal(x.verdict, 'regressed')
  t.equal(r.a.kind, 'baseline')
  t.equal(r.a.label, 'failover.csv (3 runs)')
  t.equal(r.csvPath, join(b, 'compare.csv'), "written into the run's folder, not beside the baseline")

  const missing = join(dir, 'baselines', 'discovery.csv')
  throwsNetsim(
    t,
    () => compareReports(missing, b),
    'E_CONFIG',
    (msg) => msg.includes('npm run netsim -- baseline update discovery'),
  )
  writeFileSync(base, 'run_id,scenario,node\nx,failover,n1\n')
  throwsNetsim(
    t,
    () => compareReports(base, b),
    'E_CONFIG',
    (msg) => /corrupt baseline/.test(msg) && msg.includes('baseline update failover'),
  )
  writeFileSync(base, 'run_id,scenario,group,node,metric,value_ms\n')
  throwsNetsim(
    t,
    () => compareReports(base, b),
    'E_CONFIG',
    (msg) => /holds no samples/.test(msg),
  )
  writeFileSync(base, 'run_id,scenario,group,node,metric,value_ms\n"unterminated,failover\n')
  throwsNetsim(
    t,
    () => compareReports(base, b),
    'E_CONFIG',
    (msg) => /malformed CSV/.test(msg),
  )

  // a baseline that records missing values (empty value_ms) is held to the missing rule
  writeFileSync(base, baselineCsv('failover', [{ reconnect_ms: [...around(100, 20, 20)] }]))
  const withMissing = join(dir, 'baselines', 'failover-m.csv')
  writeFileSync(withMissing, baselineCsv('failover', [{ reconnect_ms: [...around(100, 20, 20), null] }]))
  t.equal(row(compareReports(withMissing, b).rows, 'reconnect_ms').a_missing, 1)
})

t.test('compare.csv: header order, empty cells, where it goes', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(100, 20) } })
  const r = compareReports(a, b)
  t.equal(r.csvPath, join(b, 'compare.csv'), "default: B's folder")
  const text = readFileSync(join(b, 'compare.csv'), 'utf8')
  const [header, first] = text.split('\n')
  t.equal(
    header,
    'metric,group,a_count,b_count,a_missing,b_missing,a_p50,b_p50,a_p95,b_p95,a_p99,b_p99,p50_diff_ms,p99_diff_ms,p_value,verdict,a_runs,b_runs,spread_p50_ms,spread_p95_ms,mde_p50_ms,mde_p95_ms',
  )
  t.strictSame([...COMPARE_COLUMNS], (header as string).split(','))
  t.match(first, /^reconnect_ms,all,40,40,0,0,/)
  t.strictSame(
    parseCompareCsv(text).map((x) => x.verdict),
    ['same'],
    'reads back',
  )
  t.ok(existsSync(join(b, 'compare.json')), 'compare.json names the sides')
  const out = join(dir, 'out')
  t.equal(compareReports(a, b, { out }).csvPath, join(out, 'compare.csv'))
  t.equal(compareReports(a, b, { out: null }).csvPath, null)
})

t.test('formatCompareTable: a header, one line per row, the reasons of non-same rows', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20), detect_ms: around(50, 10) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(200, 20), detect_ms: around(50, 10) } })
  const text = formatCompareTable(compareReports(a, b, { out: null }).rows)
  const lines = text.trimEnd().split('\n')
  t.match(lines[0], /^group\s+metric\s+count A\/B\s+missing A\/B\s+p50 A\s+p50 B\s+Δp50/)
  t.match(lines[1], /^all\s+detect_ms\s+40\/40\s+0\/0\s+50\.0\s+50\.0\s+0\.0\s.*same$/)
  t.match(lines[2], /^all\s+reconnect_ms\s+40\/40\s+0\/0\s+100\.0\s+200\.0\s+\+100\.0\s.*REGRESSED$/)
  t.match(text, /REGRESSED all\.reconnect_ms: p50 \+100 ms \(\+100%\)/)
})

t.test("a baseline pooling several runs: the allowance follows its runs' spread", async (t) => {
  const dir = t.testdir({ baselines: {} })
  const base = join(dir, 'baselines', 'failover.csv')
  // five runs whose medians are 100, 104, 96, 102, 98: spread sqrt(10) ms
  writeFileSync(
    base,
    baselineCsv(
      'failover',
      [100, 104, 96, 102, 98].map((c) => ({ reconnect_ms: around(c, 10, 40) })),
    ),
  )
  // allowance for one candidate run: t(0.999, 4) * sqrt(10) * sqrt(1/5 + 1) = 24.8 ms
  const inside = writeRun(dir, { runId: 'inside', values: { reconnect_ms: around(118, 10) } })
  const outside = writeRun(dir, { runId: 'outside', values: { reconnect_ms: around(140, 10) } })
  const r1 = row(compareToBaseline(inside, base, { out: null, settings: { false_alarm: 0.001 } }).rows, 'reconnect_ms')
  t.equal(r1.a_runs, 5)
  t.equal(r1.spread_p50_ms, 3.162)
  t.ok(Math.abs((r1.mde_p50_ms as number) - 7.173 * Math.sqrt(10) * Math.sqrt(1.2)) < 0.05, `allowance ${r1.mde_p50_ms}`)
  t.ok((r1.p_value as number) < 0.01, 'significant against the pooled values')
  t.ok((r1.p50_diff_ms as number) > 0.1 * (r1.a_p50 as number), 'and past the relative floor')
  t.equal(r1.verdict, 'same', "but within what the baseline's own runs move")
  t.match(r1.reason, /within ±24\.\d \(p50\)/)
  const r2 = row(compareToBaseline(outside, base, { out: null, settings: { false_alarm: 0.001 } }).rows, 'reconnect_ms')
  t.equal(r2.verdict, 'regressed')
  t.match(r2.reason, /^p50 \+40\.\d ms \(\+40\.\d%\) beyond ±24\.\d \(spread\); p<0\.0001/)
})

t.test('a candidate with an empty samples.csv is refused, not passed', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(100, 20) } })
  writeFileSync(join(b, 'samples.csv'), 'run_id,scenario,group,node,metric,value_ms\n')
  throwsNetsim(
    t,
    () => compareReports(a, b, { out: null }),
    'E_CONFIG',
    (msg) => /b\/samples\.csv holds no samples \(only its header\): nothing to compare/.test(msg),
  )
})

t.test('values that vanish regress; a compare against another reference says what it replaced', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20), reject_ms: around(50, 10) } })
  const a2 = writeRun(dir, { runId: 'a2', values: { reconnect_ms: around(100, 20), reject_ms: around(50, 10) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(100, 20), reject_ms: [] } })
  // B's summary lists reject_ms with no values and none missing: the metric is there, its values are not
  const summary = readFileSync(join(b, 'summary.csv'), 'utf8')
  const empty = ['compute', 'all'].map((g) => `failover,nats,v1.5,process,${g},40,3,reject_ms,0,0,,,,,,,`).join('\n')
  writeFileSync(join(b, 'summary.csv'), `${summary.trimEnd()}\n${empty}\n`)
  const r = compareReports(a, b)
  const rej = r.rows.find((x) => x.metric === 'reject_ms')
  t.equal(rej?.verdict, 'regressed')
  t.equal(rej?.reason, 'values 40 → 0')
  t.equal(r.replaced, null, 'the first compare replaces nothing')
  t.equal(compareReports(a, b).replaced, null, 'redoing the same compare is not a replacement')
  t.equal(compareReports(a2, b).replaced, a, 'a compare against another A names the one it replaced')
})
