import t from 'tap'
import { allowanceFor } from '../../../sim/compare/tolerance.ts'
import { tQuantile } from '../../../sim/compare/t-distribution.ts'

const floors = { relative: 0.1, absolute_ms: 1 }

t.test('from the spread: t(1 - false_alarm, R_A - 1) * s_run * sqrt(1/R_A + 1/R_B)', async (t) => {
  // three baseline runs of mean 12, sd 2; three candidate runs
  const a = allowanceFor([10, 12, 14], 3, floors, 0.001)
  t.equal(a.by, 'spread')
  t.equal(a.spread_ms, 2)
  t.ok(Math.abs(a.allowance_ms - 22.327 * 2 * Math.sqrt(2 / 3)) < 0.01, `allowance ${a.allowance_ms}`)
  // ten runs of the same spread: a much smaller allowance (more is known about the noise)
  const ten = allowanceFor([10, 14, 12, 10, 14, 12, 10, 14, 12, 12], 3, floors, 0.001)
  const sd = Math.sqrt((6 * 4) / 9)
  t.ok(Math.abs((ten.spread_ms as number) - sd) < 0.001)
  t.ok(Math.abs(ten.allowance_ms - tQuantile(0.999, 9) * sd * Math.sqrt(1 / 10 + 1 / 3)) < 0.001)
  t.ok(ten.allowance_ms < a.allowance_ms / 5)
  // more candidate runs shrink it too, and a laxer false-alarm rate
  t.ok(allowanceFor([10, 12, 14], 10, floors, 0.001).allowance_ms < a.allowance_ms)
  t.ok(allowanceFor([10, 12, 14], 3, floors, 0.05).allowance_ms < a.allowance_ms)
})

t.test('the floors: relative to A, absolute, and a baseline of one run', async (t) => {
  const agree = allowanceFor([100, 100.1, 99.9], 3, floors, 0.001)
  t.equal(agree.by, 'relative', 'runs that agree closely still allow 10 %')
  t.equal(agree.allowance_ms, 10)
  const tiny = allowanceFor([2, 2, 2], 3, floors, 0.001)
  t.equal(tiny.by, 'absolute')
  t.equal(tiny.allowance_ms, 1)
  const single = allowanceFor([50], 3, floors, 0.001)
  t.equal(single.spread_ms, null, 'one run: spread unknown')
  t.equal(single.by, 'relative')
  t.equal(single.allowance_ms, 5)
  t.equal(allowanceFor([], 3, floors, 0.001).allowance_ms, 1, 'no runs: the absolute floor')
})
