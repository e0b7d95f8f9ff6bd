import t from 'tap'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { writeRun, around } from '../../compare/fixtures.ts'
import { scanRegress, scanRuns, trendPanels, writeReportsIndex } from '../../../../sim/report/index/index.ts'
import { COMPARE_COLUMNS } from '../../../../sim/report/format/compare-csv.ts'
import { DEFAULT_COMPARE_SETTINGS } from '../../../../sim/config/compare-settings.ts'

/** A regress run's folder: one row per metric of failover, B's p50 and p95 as given. */
const regressRun = (root: string, id: string, b: Record<string, [number, number]>, verdict = 'same', settings: unknown = { alpha: 0.01 }) => {
  const dir = join(root, 'regress', id)
  mkdirSync(dir, { recursive: true })
  const rows = Object.entries(b).map(([metric, [p50, p95]]) => {
    const r: Record<string, unknown> = { metric, group: 'all', a_count: 30, b_count: 30, a_p50: 100, b_p50: p50, a_p95: 120, b_p95: p95, verdict }
    return ['failover', ...COMPARE_COLUMNS.map((c) => r[c] ?? '')]
  })
  writeFileSync(join(dir, 'regress.csv'), stringify([['scenario', ...COMPARE_COLUMNS], ...rows]))
  writeFileSync(join(dir, 'regress.json'), JSON.stringify({ compare: settings }))
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

t.test('the trend: per metric, B run after run, the baseline and the threshold from the recorded settings', async (t) => {
  const root = t.testdir()
  regressRun(root, '20261201-100000-r1', { reconnect_ms: [100, 120] })
  regressRun(root, '20261202-100000-r2', { reconnect_ms: [130, 150] }, 'regressed')
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
  // the default tolerance: max(25 % of A, 5 ms)
  t.strictSame(p?.lines, [
    { stat: 'p50', baseline: 100, threshold: 125 },
    { stat: 'p95', baseline: 120, threshold: 150 },
  ])
  regressRun(root, '20261203-100000-r3', { reconnect_ms: [100, 120] }, 'same', null)
  const unknown = trendPanels(scanRegress(root).slice(-1))
  t.equal(unknown[0]?.lines[0]?.threshold, null, 'no recorded settings and none given: no threshold')
  t.equal(trendPanels(scanRegress(root).slice(-1), DEFAULT_COMPARE_SETTINGS)[0]?.lines[0]?.threshold, 125, 'or the ones given')
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
  t.notMatch(html, /<script|https?:\/\//i)
  const empty = await writeReportsIndex(join(root, 'nothing'))
  t.match(readFileSync(empty, 'utf8'), /No run yet/)
})
