import t from 'tap'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { writeRun, around } from '../../compare/fixtures.ts'
import { scanRegress, scanRuns, trendPanels, writeReportsIndex } from '../../../../sim/report/index/index.ts'
import { COMPARE_COLUMNS } from '../../../../sim/report/format/compare-csv.ts'
import { DEFAULT_COMPARE_SETTINGS } from '../../../../sim/config/compare-settings.ts'

/**
 * A regress run's folder as runRegress writes it: one row per metric of failover, B's p50 and
 * p95 as given, the baseline's 100 and 120, allowances 30 and 45 ms. `old`: as regress wrote it
 * before the allowances (no seeds nor mde_* columns).
 */
const regressRun = (
  root: string,
  id: string,
  b: Record<string, [number, number]>,
  o: { verdict?: string; settings?: unknown; old?: boolean } = {},
) => {
  const dir = join(root, 'regress', id)
  mkdirSync(dir, { recursive: true })
  const columns = o.old ? COMPARE_COLUMNS.slice(0, COMPARE_COLUMNS.indexOf('verdict') + 1) : COMPARE_COLUMNS
  const rows = Object.entries(b).map(([metric, [p50, p95]]) => {
    const r: Record<string, unknown> = {
      metric,
      group: 'all',
      a_count: 30,
      b_count: 30,
      a_p50: 100,
      b_p50: p50,
      a_p95: 120,
      b_p95: p95,
      verdict: o.verdict ?? 'same',
      a_runs: 10,
      b_runs: 3,
      spread_p50_ms: 8,
      spread_p95_ms: 12,
      mde_p50_ms: 30,
      mde_p95_ms: 45,
    }
    return [...(o.old ? ['failover'] : ['failover', '11 12 13']), ...columns.map((c) => r[c] ?? '')]
  })
  writeFileSync(join(dir, 'regress.csv'), stringify([[...(o.old ? ['scenario'] : ['scenario', 'seeds']), ...columns], ...rows]))
  if (o.settings !== null) writeFileSync(join(dir, 'regress.json'), JSON.stringify({ compare: o.settings ?? { alpha: 0.01 } }))
}

t.test('the runs, newest first, with their key metrics; folders that are not runs left out', async (t) => {
  const root = t.testdir()
  writeRun(join(root, 'failover'), { runId: '20261201-100000-aaaaaa', values: { reconnect_ms: around(60, 20), connect_ms: around(40, 10) } })
  writeRun(join(root, 'discovery'), { runId: '20261201-110000-bbbbbb', scenario: 'discovery', values: { visible_all_ms: around(80, 10) } })
  mkdirSync(join(root, 'failover', '.20261201-120000-cccccc.partial'), { recursive: true })
  mkdirSync(join(root, 'baselines'), { recursive: true })
  mkdirSync(join(root, 'failover', 'not-a-run'), { recursive: true })
  const runs = scanRuns(root)
  t.strictSame(
    runs.map((r) => [r.scenario, r.id, r.passed, r.key.map((k) => k.metric)]),
    [
      ['discovery', '20261201-110000-bbbbbb', true, ['visible_all_ms']],
      ['failover', '20261201-100000-aaaaaa', true, ['reconnect_ms', 'connect_ms']],
    ],
  )
})

t.test("the trend: per metric, B run after run, the baseline and the threshold from each run's recorded allowance", async (t) => {
  const root = t.testdir()
  regressRun(root, '20261201-100000-r1', { reconnect_ms: [100, 120] })
  regressRun(root, '20261202-100000-r2', { reconnect_ms: [130, 150] }, { verdict: 'regressed' })
  const regress = scanRegress(root)
  t.strictSame(
    regress.map((r) => r.id),
    ['20261201-100000-r1', '20261202-100000-r2'],
    'oldest first',
  )
  const [p] = trendPanels(regress)
  t.strictSame(
    p?.points.map((x) => [x.run, x.stat, x.value, x.regressed]),
    [
      ['12-01 10:00', 'p50', 100, false],
      ['12-01 10:00', 'p95', 120, false],
      ['12-02 10:00', 'p50', 130, true],
      ['12-02 10:00', 'p95', 150, true],
    ],
  )
  // baseline + mde_p50_ms / mde_p95_ms as regress.csv recorded them
  t.strictSame(p?.lines, [
    { stat: 'p50', baseline: 100, threshold: 130 },
    { stat: 'p95', baseline: 120, threshold: 165 },
  ])
})

t.test('the trend: the percentiles from the recorded settings, else those given; no threshold without a recorded allowance', async (t) => {
  const root = t.testdir()
  regressRun(root, '20261201-100000-r1', { reconnect_ms: [100, 120] }, { settings: { percentiles: ['p50'] } })
  t.strictSame(
    trendPanels(scanRegress(root), DEFAULT_COMPARE_SETTINGS)[0]?.points.map((x) => x.stat),
    ['p50'],
    'only the judged percentiles',
  )
  regressRun(root, '20261202-100000-r2', { reconnect_ms: [100, 120] }, { settings: null, old: true })
  const old = scanRegress(root).slice(-1)
  t.equal(old[0]?.rows[0]?.mde_p50_ms, null)
  t.strictSame(
    trendPanels(old)[0]?.lines,
    [
      { stat: 'p50', baseline: 100, threshold: null },
      { stat: 'p95', baseline: 120, threshold: null },
    ],
    'an old regress folder: baselines, no threshold',
  )
  t.strictSame(
    trendPanels(old, { ...DEFAULT_COMPARE_SETTINGS, percentiles: ['p95', 'p99'] })[0]?.lines,
    [{ stat: 'p95', baseline: 120, threshold: null }],
    'the percentiles given when none were recorded; settings give no threshold',
  )
})

t.test('index.html: written whole, links relative, nothing external', async (t) => {
  const root = t.testdir()
  writeRun(join(root, 'failover'), { runId: '20261201-100000-aaaaaa', values: { reconnect_ms: around(60, 20) } })
  writeFileSync(join(root, 'failover', '20261201-100000-aaaaaa', 'report.html'), '<html></html>')
  regressRun(root, '20261201-100000-r1', { reconnect_ms: [100, 120] })
  regressRun(root, '20261202-100000-r2', { reconnect_ms: [130, 150] })
  const file = await writeReportsIndex(root)
  const html = readFileSync(file, 'utf8')
  t.match(html, /<a href="failover\/20261201-100000-aaaaaa\/report\.html">/)
  t.match(html, /reconnect_ms \d+(\.\d)? \/ \d+/, 'key p50 / p99')
  t.match(html, /Regress trend/)
  t.match(html, /trend_0_marks/)
  t.match(html, /threshold_0_marks/)
  t.notMatch(html, /<script|https?:\/\//i)
  const empty = await writeReportsIndex(join(root, 'nothing'))
  t.match(readFileSync(empty, 'utf8'), /No run yet/)
})
