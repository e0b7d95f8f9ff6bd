import t from 'tap'
import type { MetricValue } from '../../../sim/metrics/metric-value.ts'
import { summarize } from '../../../sim/metrics/summary.ts'

const v = (node: string, group: string, metric: string, value_ms: number | null): MetricValue => ({ node, group, metric, value_ms })

t.test('percentiles on 1..100, two groups and all', async (t) => {
  const values = [
    ...Array.from({ length: 100 }, (_, k) => v(`a${k}`, 'a', 'connect_ms', k + 1)),
    v('b1', 'b', 'connect_ms', 10),
    v('b2', 'b', 'connect_ms', 20),
    v('b3', 'b', 'connect_ms', null),
  ]
  const rows = summarize(values, ['b', 'a'])
  t.strictSame(rows, [
    { group: 'b', metric: 'connect_ms', count: 2, missing: 1, min: 10, p50: 15, p90: 19, p95: 19.5, p99: 19.9, max: 20, mean: 15 },
    { group: 'a', metric: 'connect_ms', count: 100, missing: 0, min: 1, p50: 50.5, p90: 90.1, p95: 95.05, p99: 99.01, max: 100, mean: 50.5 },
    // 1..100 plus 10 and 20 (102 values): p50 sits halfway between the 51st and 52nd values, 49 and 50
    { group: 'all', metric: 'connect_ms', count: 102, missing: 1, min: 1, p50: 49.5, p90: 89.9, p95: 94.95, p99: 98.99, max: 100, mean: 49.804 },
  ])
})

t.test('metric order, first-seen groups, rounding and all-missing rows', async (t) => {
  const rows = summarize([
    v('n1', 'x', 'zeta_ms', 1),
    v('n1', 'x', 'detect_ms', 1.23456),
    v('n2', 'y', 'alpha_ms', 2),
    v('n1', 'x', 'connect_ms', null),
    v('n2', 'y', 'connect_ms', null),
    v('n2', 'y', 'detect_ms', 3),
  ])
  t.strictSame(
    rows.map((r) => `${r.metric}/${r.group}`),
    [
      'connect_ms/x',
      'connect_ms/y',
      'connect_ms/all',
      'detect_ms/x',
      'detect_ms/y',
      'detect_ms/all',
      'alpha_ms/y',
      'alpha_ms/all',
      'zeta_ms/x',
      'zeta_ms/all',
    ],
  )
  t.strictSame(rows[2], {
    group: 'all',
    metric: 'connect_ms',
    count: 0,
    missing: 2,
    min: null,
    p50: null,
    p90: null,
    p95: null,
    p99: null,
    max: null,
    mean: null,
  })
  t.equal(rows[3]?.p50, 1.235, 'rounded to µs')
  t.equal(rows[5]?.mean, 2.117, 'mean of 1.23456 and 3, rounded')
})
