import t from 'tap'
import { binomialLowerTail, binomialUpperTail, tailTest } from '../../../sim/compare/tail-test.ts'

t.test('binomial tails: exact values', async (t) => {
  t.equal(binomialUpperTail(0, 3, 0.05), 1)
  t.ok(Math.abs(binomialUpperTail(1, 3, 0.05) - (1 - 0.95 ** 3)) < 1e-12)
  t.ok(Math.abs(binomialUpperTail(2, 3, 0.05) - (3 * 0.05 ** 2 * 0.95 + 0.05 ** 3)) < 1e-12)
  t.equal(binomialUpperTail(4, 3, 0.05), 0)
  t.ok(Math.abs(binomialLowerTail(0, 90, 0.05) - 0.95 ** 90) < 1e-12)
  t.ok(Math.abs(binomialLowerTail(90, 90, 0.05) - 1) < 1e-12)
})

const ramp = (n: number, from: number, to: number) => Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1))

t.test('a tail-only change: the slowest tenth of B twice as slow', async (t) => {
  const a = ramp(300, 10, 30)
  const b = ramp(90, 10, 30).map((x, i) => (i >= 81 ? x * 2 : x))
  const r = tailTest(a, b, 0.95, 'worse')
  t.ok(Math.abs(r.threshold - 29) < 0.01, `A's p95 ${r.threshold}`)
  t.equal(r.n, 90)
  t.equal(r.beyond, 9, 'the nine doubled values, and no others')
  // under no change 9 of 90 beyond the p95 has probability ~ 0.05
  t.ok(r.p_value > 0.03 && r.p_value < 0.08, `9 of 90: p ${r.p_value}`)
  const worse = tailTest(
    a,
    ramp(90, 10, 30).map((x, i) => (i >= 70 ? x * 2 : x)),
    0.95,
    'worse',
  )
  t.ok(worse.p_value < 1e-6, `20 of 90 beyond: p ${worse.p_value}`)
  t.equal(tailTest(a, a, 0.95, 'worse').beyond, 15, 'A against itself: its own 5 %')
  t.ok(tailTest(a, a, 0.95, 'worse').p_value > 0.4)
})

t.test("better: fewer of B beyond A's quantile than chance allows", async (t) => {
  const a = ramp(300, 10, 30)
  const fast = tailTest(a, ramp(200, 10, 20), 0.95, 'better')
  t.equal(fast.beyond, 0)
  t.ok(Math.abs(fast.p_value - 0.95 ** 200) < 1e-12, 'none of 200 beyond the p95')
  t.ok(tailTest(a, a, 0.95, 'better').p_value > 0.4, 'A against itself')
  t.equal(tailTest([], [1], 0.95, 'worse').p_value, 1, 'no values: no evidence')
})
