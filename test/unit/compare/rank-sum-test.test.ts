import t from 'tap'
import { wilcoxonRankSum } from 'simple-statistics'
import { midRanks, rankSumTest, SMALL_N } from '../../../sim/compare/rank-sum-test.ts'

t.test('midRanks: 1-based, ties averaged, original order', async (t) => {
  t.strictSame(midRanks([30, 10, 20, 20]), [4, 1, 2.5, 2.5])
  t.strictSame(midRanks([]), [])
})

t.test('small samples: exact test estimated by permutations', async (t) => {
  // fully separated 5 vs 5: exact two-sided p = 2 / C(10,5) = 0.0079
  const r = rankSumTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
  t.equal(r.method, 'permutation')
  t.ok(r.p_value > 0.005 && r.p_value < 0.012, `p ${r.p_value} near 0.0079`)
  t.equal(r.u_b, 25)
  t.equal(r.prob_b_greater, 1)
  t.equal(rankSumTest([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]).p_value, r.p_value, 'seeded: reproducible')
  // 3 vs 3 can never reach 0.01: exact p = 2/20
  t.ok(rankSumTest([1, 2, 3], [7, 8, 9]).p_value > 0.08)
  t.equal(rankSumTest([5, 5, 5], [5, 5, 5]).p_value, 1, 'all equal')
  t.equal(rankSumTest([], [1]).method, 'none')
})

t.test('large samples: normal approximation with tie correction', async (t) => {
  const a = Array.from({ length: 150 }, (_, i) => i)
  const shifted = a.map((x) => x + 40)
  const r = rankSumTest(a, shifted)
  t.equal(r.method, 'normal')
  t.ok(a.length + shifted.length > SMALL_N)
  // U_B from the rank sum of simple-statistics
  t.equal(r.u_b, wilcoxonRankSum(shifted, a) - (150 * 151) / 2)
  // by hand: U_B = sum over b of #a below + half the ties = 16395 + 110/2; 110 pairs of ties (size 2)
  t.equal(r.u_b, 16450)
  const m = 150 * 150
  const z = (Math.abs(16450 - m / 2) - 0.5) / Math.sqrt((m / 12) * (301 - (110 * 6) / (300 * 299)))
  t.ok(Math.abs(z - 6.9216) < 0.001, `z ${z}`)
  t.ok(r.p_value > 4.3e-12 && r.p_value < 4.7e-12, `p ${r.p_value} = 2(1 - Phi(z)) ~ 4.5e-12`)
  const same = rankSumTest(a, [...a])
  t.ok(same.p_value > 0.95, 'identical samples')
  // heavy ties: all values 0 or 1
  const tiesA = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0 : 1))
  const tiesB = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 0 : 1))
  const tr = rankSumTest(tiesA, tiesB)
  t.ok(tr.p_value < 0.001 && tr.p_value > 0, `ties p ${tr.p_value}`)
  t.equal(rankSumTest(Array(300).fill(2), Array(300).fill(2)).p_value, 1, 'zero variance')
})
