import t from 'tap'
import { quantileSorted } from 'simple-statistics'
import { compareSides, runStats, summarizeSide, verdictOf } from '../../../sim/calibrate/calibration-stats.ts'
import { calibrationCsv, CALIBRATION_COLUMNS, formatCalibrationTable } from '../../../sim/calibrate/calibration-report.ts'
import type { MetricValue } from '../../../sim/metrics/index.ts'

const v = (metric: string, value_ms: number | null, node = 'n'): MetricValue => ({ node, group: 'compute', metric, value_ms })
const many = (metric: string, xs: number[]) => xs.map((x, i) => v(metric, x, `n${i}`))

t.test('per run: p50 and p99 of detect, reconnect (or heal_reconnect) and resume over the hit nodes; spread = p99 - p50', async (t) => {
  const values = [
    ...many('detect_ms', [1, 2, 3, 4, 100]),
    ...many('heal_reconnect_ms', [10, 20, 30, 40, 50]),
    ...many('reconnect_ms', [999, 999]),
    ...many('resume_ms', [5, 6]),
    v('detect_ms', null, 'lost'),
  ]
  const s = runStats(values, 'heal_reconnect_ms')
  const get = (metric: string, stat: string) => s.find((x) => x.metric === metric && x.stat === stat)
  t.match(get('detect', 'p50'), { source: 'detect_ms', value: 3, count: 5, missing: 1 })
  // the quantiles the run summary uses (summary.ts), µs-rounded
  t.equal(get('detect', 'p99')?.value, Math.round(quantileSorted([1, 2, 3, 4, 100], 0.99) * 1000) / 1000)
  t.match(get('reconnect', 'p50'), { source: 'heal_reconnect_ms', value: 30 }, 'a partition counts from the heal')
  t.match(get('spread', 'p99-p50'), {
    source: 'heal_reconnect_ms',
    value: Math.round((quantileSorted([10, 20, 30, 40, 50], 0.99) - 30) * 1000) / 1000,
  })
  t.equal(get('resume', 'p50')?.value, 5.5)
  t.equal(runStats([], 'reconnect_ms').find((x) => x.metric === 'detect')?.value, null, 'no hit nodes: no value')
})

t.test('over repeats: median and range per side', async (t) => {
  t.same(summarizeSide([3, null, 1, 2]), { median: 2, min: 1, max: 3, runs: 3 })
  t.same(summarizeSide([null]), { median: null, min: null, max: null, runs: 0 })
})

t.test('verdict: within the ratio bound, else within the floor, else outside', async (t) => {
  t.equal(verdictOf(120, 100, 1.25, 20), 'within')
  t.equal(verdictOf(80, 100, 1.25, 20), 'within', '1/1.25 = 0.8 is the lower bound')
  t.equal(verdictOf(12, 4, 1.25, 20), 'floor', '3x, but 8 ms apart')
  t.equal(verdictOf(7000, 5000, 1.25, 20), 'outside')
  t.equal(verdictOf(100, 200, 1.25, 20), 'outside', 'too fast is outside too')
  t.equal(verdictOf(null, 5, 1.25, 20), 'no data')
  t.equal(verdictOf(0, 0, 1.25, 20), 'within')
})

t.test('the comparison of one fault: medians, ratio, difference, which rows are checked; table and CSV', async (t) => {
  const run = (d: number, r: number) =>
    runStats([...many('detect_ms', [d]), ...many('reconnect_ms', [r]), ...many('resume_ms', [r + 1])], 'reconnect_ms')
  const rows = compareSides('freeze', [run(5000, 7000), run(5100, 7100), run(4900, 6900)], [run(5000, 5100), run(5000, 5100), run(5000, 5100)], {
    bound: 1.25,
    floorMs: 20,
  })
  const row = (metric: string, stat: string) => rows.find((r) => r.metric === metric && r.stat === stat)
  t.match(row('detect', 'p50'), { ratio: 1, diffMs: 0, verdict: 'within', checked: true, sim: { median: 5000, min: 4900, max: 5100, runs: 3 } })
  t.match(row('reconnect', 'p99'), { ratio: 1.37, diffMs: 1900, verdict: 'outside', checked: true })
  t.match(row('spread', 'p99-p50'), { checked: false })
  t.match(row('resume', 'p50'), { checked: false })
  const table = formatCalibrationTable(rows)
  t.match(table, /^fault\s+metric\s+stat\s+sim\s+\(range\)\s+nats\.go/)
  t.match(table, /freeze\s+reconnect\s+p99\s+7000\s+6900-7100\s+5100\s+5100-5100\s+1\.37\s+\+1900\s+OUTSIDE/)
  t.match(table, /resume.*\(reported\)/)
  const csv = calibrationCsv(rows).split('\n')
  t.equal(csv[0], CALIBRATION_COLUMNS.join(','))
  t.match(
    csv.find((l) => l.startsWith('freeze,reconnect,reconnect_ms,p99,')),
    /,1\.37,1900,outside,yes,3$/,
  )
})
