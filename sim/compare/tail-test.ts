import { gammaln, quantileSorted } from 'simple-statistics'

/**
 * A test for the tail: does B put more of its values beyond A's q-quantile than chance allows?
 * Under "no change" each value of B lies above A's p95 with probability 0.05, so the number
 * that do is Binomial(n_B, 1 − q); the p-value is that count's one-sided tail. The rank-sum
 * test compares locations, and a change in the slowest few nodes alone (p95 worse, p50 not)
 * can leave it silent; this one hears it.
 */
const logChoose = (n: number, k: number): number => gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)

/** P(X >= k) for X ~ Binomial(n, p). */
export const binomialUpperTail = (k: number, n: number, p: number): number => {
  if (k <= 0) return 1
  if (k > n) return 0
  let sum = 0
  for (let j = k; j <= n; j++) sum += Math.exp(logChoose(n, j) + j * Math.log(p) + (n - j) * Math.log(1 - p))
  return Math.min(1, sum)
}

/** P(X <= k) for X ~ Binomial(n, p). */
export const binomialLowerTail = (k: number, n: number, p: number): number => Math.max(0, 1 - binomialUpperTail(k + 1, n, p))

export interface TailResult {
  /** A's q-quantile */
  threshold: number
  /** values of B above it */
  beyond: number
  n: number
  p_value: number
}

/**
 * How many of B's values lie above A's q-quantile. `worse`: p = P(at least that many) (B's tail
 * grew); `better`: p = P(at most that many) (B's tail shrank).
 */
export const tailTest = (a: readonly number[], b: readonly number[], q: number, direction: 'worse' | 'better'): TailResult => {
  const sa = [...a].sort((x, y) => x - y)
  if (sa.length === 0 || b.length === 0) return { threshold: Number.NaN, beyond: 0, n: b.length, p_value: 1 }
  const threshold = quantileSorted(sa, q)
  const beyond = b.filter((x) => x > threshold).length
  const p_value = direction === 'worse' ? binomialUpperTail(beyond, b.length, 1 - q) : binomialLowerTail(beyond, b.length, 1 - q)
  return { threshold, beyond, n: b.length, p_value }
}
