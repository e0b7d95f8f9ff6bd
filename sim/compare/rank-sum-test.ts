import { errorFunction, permutationTest, wilcoxonRankSum } from 'simple-statistics'
import { createRng } from '../core/rng.ts'

/**
 * The Wilcoxon rank-sum / Mann-Whitney U test, two-sided: do values of B tend to be larger or
 * smaller than values of A? It compares ranks, not means, so one slow outlier (latencies have
 * long tails) cannot make a difference significant on its own, and it assumes no distribution.
 *
 * Built on simple-statistics, which has the rank sum (`wilcoxonRankSum`) and a permutation test
 * but no p-value for the rank sum:
 * - small samples (a + b <= SMALL_N values): `permutationTest` over the pooled mid-ranks, i.e.
 *   the exact rank-sum test estimated with PERMUTATIONS random relabellings (seeded, so the
 *   same inputs always give the same p). The normal approximation is poor there.
 * - larger samples: the normal approximation of U with the tie correction and a continuity
 *   correction (the textbook large-sample test), p from simple-statistics' `errorFunction`.
 *   Permuting thousands of values thousands of times would take seconds per metric.
 */
export const SMALL_N = 200
export const PERMUTATIONS = 10_000
const SEED = 0x6e657473 // fixed: a compare is reproducible

export interface RankSumResult {
  /** two-sided p-value; 1 when either sample is empty or all values are equal */
  p_value: number
  /** Mann-Whitney U of B: pairs (a, b) with b > a, ties counting one half */
  u_b: number
  /** U_B / (n_a n_b): the probability that a value of B exceeds one of A (0.5: no shift) */
  prob_b_greater: number
  method: 'permutation' | 'normal' | 'none'
}

/** Mid-ranks (1-based, ties averaged) of `values`, in their original order. */
export const midRanks = (values: readonly number[]): number[] => {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v)
  const ranks = new Array<number>(values.length)
  for (let k = 0; k < order.length;) {
    let j = k
    while (j + 1 < order.length && (order[j + 1] as { v: number }).v === (order[k] as { v: number }).v) j++
    const r = (k + j) / 2 + 1
    for (let m = k; m <= j; m++) ranks[(order[m] as { i: number }).i] = r
    k = j + 1
  }
  return ranks
}

/** Sizes of the groups of equal values (for the tie correction). */
const tieSizes = (values: readonly number[]): number[] => {
  const sorted = [...values].sort((x, y) => x - y)
  const out: number[] = []
  for (let k = 0; k < sorted.length;) {
    let j = k
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[k]) j++
    if (j > k) out.push(j - k + 1)
    k = j + 1
  }
  return out
}

export const rankSumTest = (a: readonly number[], b: readonly number[]): RankSumResult => {
  const na = a.length
  const nb = b.length
  if (na === 0 || nb === 0) return { p_value: 1, u_b: 0, prob_b_greater: 0.5, method: 'none' }
  const wb = wilcoxonRankSum(b, a) // rank sum of B in the pooled sample
  const ub = wb - (nb * (nb + 1)) / 2
  const prob = ub / (na * nb)
  const n = na + nb

  if (n <= SMALL_N) {
    const ranks = midRanks([...a, ...b])
    const ra = ranks.slice(0, na)
    const rb = ranks.slice(na)
    if (ranks.every((r) => r === ranks[0])) return { p_value: 1, u_b: ub, prob_b_greater: prob, method: 'permutation' }
    const rng = createRng(SEED)
    const p = permutationTest(ra, rb, 'two_side', PERMUTATIONS, () => rng.next())
    // the library counts relabellings at least as extreme; 0 of them means p < 1/PERMUTATIONS
    return { p_value: Math.min(1, Math.max(p, 1 / PERMUTATIONS)), u_b: ub, prob_b_greater: prob, method: 'permutation' }
  }

  const ties = tieSizes([...a, ...b]).reduce((s, t) => s + (t * t * t - t), 0)
  const variance = ((na * nb) / 12) * (n + 1 - ties / (n * (n - 1)))
  if (variance <= 0) return { p_value: 1, u_b: ub, prob_b_greater: prob, method: 'normal' }
  const z = Math.max(0, Math.abs(ub - (na * nb) / 2) - 0.5) / Math.sqrt(variance)
  const p = 1 - errorFunction(z / Math.SQRT2) // = 2 (1 - Phi(z))
  return { p_value: Math.min(1, Math.max(0, p)), u_b: ub, prob_b_greater: prob, method: 'normal' }
}
