import t from 'tap'
import { incompleteBeta, tCdf, tQuantile } from '../../../sim/compare/t-distribution.ts'

// Reference values: standard t tables (e.g. NIST/SEMATECH e-Handbook, table 1.3.6.7.2) and closed forms.
t.test('tCdf: closed forms for 1 and 2 degrees of freedom', async (t) => {
  t.equal(tCdf(0, 5), 0.5)
  // df 1 is Cauchy: 1/2 + atan(t)/pi
  t.ok(Math.abs(tCdf(1, 1) - 0.75) < 1e-12)
  t.ok(Math.abs(tCdf(-3, 1) - (0.5 + Math.atan(-3) / Math.PI)) < 1e-12)
  // df 2: 1/2 + t / (2 sqrt(2 + t^2))
  t.ok(Math.abs(tCdf(2, 2) - (0.5 + 2 / (2 * Math.sqrt(6)))) < 1e-12)
  t.ok(Math.abs(tCdf(1.5, 7) + tCdf(-1.5, 7) - 1) < 1e-12, 'symmetric')
})

t.test('tQuantile: table values', async (t) => {
  const table: [number, number, number][] = [
    [0.975, 1, 12.706],
    [0.975, 10, 2.228],
    [0.95, 30, 1.697],
    [0.995, 7, 3.499],
    [0.999, 2, 22.327],
    [0.999, 9, 4.297],
    [0.999, 6, 5.208],
  ]
  for (const [p, df, want] of table) t.ok(Math.abs(tQuantile(p, df) - want) < 0.001, `t(${p}, ${df}) = ${tQuantile(p, df).toFixed(4)}, table ${want}`)
  t.ok(Math.abs(tQuantile(0.999, 1e6) - 3.0902) < 0.001, 'many degrees of freedom: the normal quantile')
  t.ok(Math.abs(tQuantile(0.001, 9) + 4.297) < 0.001, 'lower quantiles are negative')
  t.throws(() => tQuantile(1, 3), RangeError)
  t.throws(() => tQuantile(0, 3), RangeError)
})

t.test('incompleteBeta: bounds and a closed form', async (t) => {
  t.equal(incompleteBeta(0, 2, 3), 0)
  t.equal(incompleteBeta(1, 2, 3), 1)
  // I_x(a, 1) = x^a
  t.ok(Math.abs(incompleteBeta(0.3, 2.5, 1) - 0.3 ** 2.5) < 1e-12)
  t.ok(Math.abs(incompleteBeta(0.9, 2.5, 1) - 0.9 ** 2.5) < 1e-12, 'the other branch of the continued fraction')
})
