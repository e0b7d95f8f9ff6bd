import t from 'tap'
import { errorFunction as erf, wilcoxonRankSum } from 'simple-statistics'
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

/** Two levels only: the exact rank-sum test is the hypergeometric test of how many of B are high. */
const exactTwoLevel = (na: number, nb: number, high: number, bHigh: number): number => {
  const logC = (n: number, k: number) => {
    let s = 0
    for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i)
    return s
  }
  const p = (k: number) => Math.exp(logC(high, k) + logC(na + nb - high, nb - k) - logC(na + nb, nb))
  const mean = (nb * high) / (na + nb)
  let sum = 0
  for (let k = Math.max(0, nb - (na + nb - high)); k <= Math.min(nb, high); k++) if (Math.abs(k - mean) >= Math.abs(bHigh - mean) - 1e-9) sum += p(k)
  return sum
}

t.test('heavy ties: the tie and continuity corrections, pinned', async (t) => {
  // A: 60 ones, 41 twos; B: 40 ones, 61 twos (n = 202, normal approximation)
  const a = [...Array<number>(60).fill(1), ...Array<number>(41).fill(2)]
  const b = [...Array<number>(40).fill(1), ...Array<number>(61).fill(2)]
  const r = rankSumTest(a, b)
  t.equal(r.method, 'normal')
  // by hand: U_B = 61*60 (b=2 over a=1) + (40*60 + 61*41)/2 (ties) = 6110.5; mean 101*101/2 = 5100.5
  t.equal(r.u_b, 6110.5)
  // ties: groups of 100 and 102, sum(t^3 - t) = 2061006; variance (101*101/12)(203 - 2061006/(202*201))
  const variance = ((101 * 101) / 12) * (203 - 2061006 / (202 * 201))
  const p = (z: number) => 1 - erf(z / Math.SQRT2)
  const corrected = p((1010 - 0.5) / Math.sqrt(variance))
  t.ok(Math.abs(r.p_value - corrected) < 1e-9, `p ${r.p_value} = ${corrected}`)
  // each correction moves p by more than that: removing either fails the line above
  const noTies = p((1010 - 0.5) / Math.sqrt(((101 * 101) / 12) * 203))
  const noContinuity = p(1010 / Math.sqrt(variance))
  t.ok(Math.abs(noTies - corrected) > 0.005, `without the tie correction p would be ${noTies}`)
  t.ok(Math.abs(noContinuity - corrected) > 1e-6, `without the continuity correction p would be ${noContinuity}`)
  // and the corrected approximation is near the exact test (hypergeometric on the twos; U moves
  // in steps of 101 here, so a 0.5 continuity correction cannot make it exact), nearer than
  // the uncorrected one
  const exact = exactTwoLevel(101, 101, 102, 61)
  const off = (x: number) => Math.abs(Math.log(x / exact))
  t.ok(off(r.p_value) < Math.log(1.5), `normal ${r.p_value} within x1.5 of exact ${exact}`)
  t.ok(off(noTies) > 1.5 * off(r.p_value), `without the tie correction: ${noTies}, further off`)
})

t.test('the boundary of the normal approximation: 200 values permute, 201 approximate, and agree', async (t) => {
  const a100 = Array.from({ length: 100 }, (_, i) => (i * 37) % 100)
  const b100 = a100.map((x) => x + 12)
  const small = rankSumTest(a100, b100)
  const large = rankSumTest(a100, [...b100, 61])
  t.equal(a100.length + b100.length, SMALL_N)
  t.equal(small.method, 'permutation')
  t.equal(large.method, 'normal')
  t.ok(small.p_value > 0.001 && small.p_value < 0.05, `permutation p ${small.p_value}`)
  t.ok(Math.abs(Math.log(large.p_value / small.p_value)) < Math.log(1.5), `normal ${large.p_value} within x1.5 of permutation ${small.p_value}`)
})

t.test('exact small samples: what 3 and 4 runs can show', async (t) => {
  // fully separated: exact two-sided p = 2 / C(6, 3) = 0.1 and 2 / C(8, 4) = 0.0286
  const three = rankSumTest([1, 2, 3], [4, 5, 6]).p_value
  t.ok(Math.abs(three - 0.1) < 0.01, `3 vs 3: p ${three}`)
  const four = rankSumTest([1, 2, 3, 4], [5, 6, 7, 8]).p_value
  t.ok(Math.abs(four - 2 / 70) < 0.005, `4 vs 4: p ${four}`)
  // one overlap: 4 of 20 splits at least as extreme
  const overlap = rankSumTest([1, 2, 4], [3, 5, 6]).p_value
  t.ok(Math.abs(overlap - 0.2) < 0.015, `3 vs 3 with one swap: p ${overlap}`)
})
