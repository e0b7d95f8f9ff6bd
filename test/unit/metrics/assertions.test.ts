import t from 'tap'
import type { PlanAssertion } from '../../../sim/plan/run-plan.ts'
import type { SummaryRow } from '../../../sim/metrics/index.ts'
import { checkAssertions } from '../../../sim/metrics/assertions.ts'

const row = (group: string, metric: string, o: Partial<SummaryRow> = {}): SummaryRow => ({
  group,
  metric,
  count: 10,
  missing: 0,
  min: 5,
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  max: 120,
  mean: 55,
  ...o,
})
const a = (o: Partial<PlanAssertion> & Pick<PlanAssertion, 'metric' | 'stat'>): PlanAssertion => ({
  group: 'all',
  text: `${o.metric}.${o.stat}`,
  ...o,
})

const rows = [
  row('all', 'connect_ms'),
  row('edge', 'connect_ms', { p99: 300, missing: 2 }),
  row('all', 'reconnect_ms', { count: 0, missing: 3, min: null, p50: null, p90: null, p95: null, p99: null, max: null, mean: null }),
]

t.test('max', async (t) => {
  t.strictSame(
    checkAssertions([a({ metric: 'connect_ms', stat: 'p99', max: 99 })], rows),
    [{ text: 'connect_ms.p99', ok: true, actual: 99 }],
    'equal to max passes',
  )
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'p99', max: 98.9 })], rows), [{ text: 'connect_ms.p99', ok: false, actual: 99 }])
  t.strictSame(
    checkAssertions([a({ metric: 'connect_ms', stat: 'p99', group: 'edge', max: 200 })], rows),
    [{ text: 'connect_ms.p99', ok: false, actual: 300 }],
    "the group's row, not all",
  )
})

t.test('min', async (t) => {
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'min', min: 5 })], rows), [{ text: 'connect_ms.min', ok: true, actual: 5 }])
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'min', min: 6 })], rows), [{ text: 'connect_ms.min', ok: false, actual: 5 }])
  t.strictSame(
    checkAssertions([a({ metric: 'connect_ms', stat: 'p50', min: 10, max: 60 })], rows),
    [{ text: 'connect_ms.p50', ok: true, actual: 50 }],
    'in range',
  )
  t.strictSame(
    checkAssertions([a({ metric: 'connect_ms', stat: 'p50', min: 10, max: 40 })], rows),
    [{ text: 'connect_ms.p50', ok: false, actual: 50 }],
    'above range',
  )
})

t.test('equals', async (t) => {
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'missing', equals: 0 })], rows), [
    { text: 'connect_ms.missing', ok: true, actual: 0 },
  ])
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'missing', group: 'edge', equals: 0 })], rows), [
    { text: 'connect_ms.missing', ok: false, actual: 2 },
  ])
  t.strictSame(checkAssertions([a({ metric: 'connect_ms', stat: 'count', equals: 10 })], rows), [{ text: 'connect_ms.count', ok: true, actual: 10 }])
})

t.test('a row whose statistics are null fails every bound on them', async (t) => {
  t.strictSame(checkAssertions([a({ metric: 'reconnect_ms', stat: 'p99', max: 1_000_000 })], rows), [
    { text: 'reconnect_ms.p99', ok: false, actual: null },
  ])
  t.strictSame(checkAssertions([a({ metric: 'reconnect_ms', stat: 'missing', equals: 3 })], rows), [
    { text: 'reconnect_ms.missing', ok: true, actual: 3 },
  ])
})

t.test('missing row: count and missing are 0, other stats fail', async (t) => {
  const r = checkAssertions(
    [
      a({ metric: 'flap_ms', stat: 'count', equals: 0 }),
      a({ metric: 'flap_ms', stat: 'missing', equals: 0 }),
      a({ metric: 'flap_ms', stat: 'count', max: 0 }),
      a({ metric: 'flap_ms', stat: 'count', min: 1 }),
      a({ metric: 'flap_ms', stat: 'p50', max: 1e9 }),
      a({ metric: 'flap_ms', stat: 'mean', min: 0 }),
      a({ metric: 'flap_ms', stat: 'max', equals: 0 }),
      a({ metric: 'connect_ms', stat: 'p50', group: 'nosuchgroup', max: 1e9 }),
    ],
    rows,
  )
  t.strictSame(
    r.map((x) => [x.ok, x.actual]),
    [
      [true, 0],
      [true, 0],
      [true, 0],
      [false, 0],
      [false, null],
      [false, null],
      [false, null],
      [false, null],
    ],
  )
})

t.test('order and text kept, one result per assertion', async (t) => {
  const r = checkAssertions(
    [a({ metric: 'connect_ms', stat: 'max', max: 200, text: 'first' }), a({ metric: 'connect_ms', stat: 'max', max: 100, text: 'second' })],
    rows,
  )
  t.strictSame(r, [
    { text: 'first', ok: true, actual: 120 },
    { text: 'second', ok: false, actual: 120 },
  ])
  t.strictSame(checkAssertions([], rows), [])
})
