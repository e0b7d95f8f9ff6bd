import t from 'tap'
import { judge, type JudgeSide } from '../../../sim/compare/judge.ts'
import { parseCompareSettings } from '../../../sim/config/compare-settings.ts'

// the numbers below were worked out at false_alarm 0.001 (t(0.999, R_A − 1)); the rule, not the default, is under test
const settings = parseCompareSettings({ false_alarm: 0.001 })

/** Runs of one metric as a judge side: `runs[r]` are run r's values (null: missing). */
const side = (runs: (number | null)[][], prefix = 'r', metric = 'detect_ms'): JudgeSide => ({
  samples: runs.flatMap((vs, r) =>
    vs.map((v, i) => ({ run_id: `${prefix}${r}`, scenario: 'failover', group: 'compute', node: `n${i}`, metric, value_ms: v })),
  ),
  missing: runs.flat().filter((v) => v === null).length,
  runIds: runs.map((_, r) => `${prefix}${r}`),
})

/** A run of 30 nodes: values from 10 to 30 ms, the whole run shifted by `offset` (a run's own noise). */
const run = (offset: number, f: (x: number, i: number) => number = (x) => x): number[] =>
  Array.from({ length: 30 }, (_, i) => f(10 + (20 * ((i * 7) % 30)) / 29 + offset, i))
const OFFSETS = [0, 1.5, -1, 0.5, -1.5, 1, -0.5, 2, -2, 0]
const baseline = side(OFFSETS.map((o) => run(o)))

t.test('an unchanged candidate is the same, and the row says how much it could have seen', async (t) => {
  const r = judge('detect_ms', 'all', baseline, side([run(0.7), run(-1.2), run(0.3)], 'b'), settings)
  t.ok(r)
  t.equal(r?.verdict, 'same')
  t.match(r?.reason, /within ±/)
  t.equal(r?.a_runs, 10)
  t.equal(r?.b_runs, 3)
  t.ok((r?.spread_p50_ms as number) > 1 && (r?.spread_p50_ms as number) < 1.6, `spread ${r?.spread_p50_ms}`)
  // t(0.999, 9) * spread * sqrt(1/10 + 1/3): a doubling of a 20 ms p50 is far beyond it
  t.ok(Math.abs((r?.mde_p50_ms as number) - 4.297 * (r?.spread_p50_ms as number) * Math.sqrt(1 / 10 + 1 / 3)) < 0.01)
  t.ok((r?.mde_p50_ms as number) < 5)
})

t.test('a 1.5x slower candidate regresses, by p50 and p95', async (t) => {
  const r = judge('detect_ms', 'all', baseline, side([run(0.7, (x) => 1.5 * x), run(-1.2, (x) => 1.5 * x), run(0.3, (x) => 1.5 * x)], 'b'), settings)
  t.equal(r?.verdict, 'regressed')
  t.match(r?.reason, /^p50 \+\d.* ms \(\+\d+(\.\d)?%\) beyond ±.* \(spread\); p<0\.0001, p95 \+/)
})

t.test('a tail-only change (the slowest tenth twice as slow) regresses by p95 alone', async (t) => {
  const slowTail = (x: number) => (x > 27 ? 2 * x : x)
  const r = judge('detect_ms', 'all', baseline, side([run(0.7, slowTail), run(-1.2, slowTail), run(0.3, slowTail)], 'b'), settings)
  t.equal(r?.verdict, 'regressed')
  t.match(r?.reason, /^p95 \+/)
  t.notMatch(r?.reason, /p50/)
  t.ok(Math.abs(r?.p50_diff_ms ?? Infinity) < 1, 'the median did not move')
})

t.test('a shift beyond the allowance the samples do not support stays same', async (t) => {
  // runs that agree exactly (allowance: the 10 % floor, 2 ms) and a 10 ms shift, but four
  // interleaved values a side cannot make it significant
  const a = side([
    [10, 30],
    [10, 30],
  ])
  const b = side(
    [
      [20, 40],
      [20, 40],
    ],
    'b',
  )
  const r = judge('detect_ms', 'all', a, b, settings)
  t.equal(r?.verdict, 'same')
  t.match(r?.reason, /not significant/)
})

t.test('faster: improved, and never regressed', async (t) => {
  const r = judge('detect_ms', 'all', baseline, side([run(0.7, (x) => x / 2), run(-1.2, (x) => x / 2), run(0.3, (x) => x / 2)], 'b'), settings)
  t.equal(r?.verdict, 'improved')
  t.match(r?.reason, /p50 −/)
})

t.test('missing values that appear regress, against a baseline that had none', async (t) => {
  const b = side([run(0.7), [...run(-1.2).slice(0, 27), null, null, null], run(0.3)], 'b')
  const r = judge('detect_ms', 'all', baseline, b, settings)
  t.equal(r?.a_missing, 0)
  t.equal(r?.b_missing, 3)
  t.equal(r?.verdict, 'regressed')
  t.equal(r?.reason, 'missing 0 → 3')
  // fewer missing than the baseline is not a regression
  t.equal(judge('detect_ms', 'all', b, side([run(0.7), run(-1.2), run(0.3)], 'c'), settings)?.verdict, 'same')
})

t.test('a count metric that appears regresses; one that disappears improves', async (t) => {
  const none = { samples: [], missing: 0, runIds: ['r0', 'r1', 'r2'] }
  const some = side([[900], [], [1200]], 'b', 'closed_ms')
  const up = judge('closed_ms', 'all', none, some, settings)
  t.equal(up?.verdict, 'regressed')
  t.equal(up?.reason, 'count per run 0 → 0.67')
  t.equal(judge('closed_ms', 'all', some, none, settings)?.verdict, 'improved')
  t.equal(judge('closed_ms', 'all', none, none, settings), null, 'did not apply on either side: no row')
  // a timing metric without values in one side is not judged on timing
  t.equal(judge('detect_ms', 'all', none, side([[5]], 'b'), settings)?.reason, 'no values in A')
})

t.test('a single-run baseline: the floors alone set the allowance', async (t) => {
  const r = judge('detect_ms', 'all', side([run(0)]), side([run(1)], 'b'), settings)
  t.equal(r?.spread_p50_ms, null)
  t.equal(r?.mde_p50_ms, 2, '10 % of a 20 ms p50')
  t.equal(r?.verdict, 'same')
})
