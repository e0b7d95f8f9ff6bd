import t from 'tap'
import { bidMetrics, bidFailures } from '../../../sim/metrics/bids.ts'
import { discoveryMetrics, NATS_ONLY_METRICS } from '../../../sim/metrics/discovery.ts'
import { deriveMetrics, summarize } from '../../../sim/metrics/index.ts'
import { errorsCsv, errorCounts } from '../../../sim/report/format/csv.ts'
import { ev, ready, mark, pool, byNode } from './fixtures.ts'

const start = (t: number, node: string, group: string, transport?: string) =>
  ev(t, 'node.start', { node, data: transport === undefined ? { group } : { group, transport } })
const bid = (t: number, orch: string, node: string, ok: boolean, ms: number, metric?: string, code = ok ? 'OK' : 'UNREACHABLE') =>
  ev(t, 'orch.bid', { orch, node, data: { ok, code, ms, ...(metric === undefined ? {} : { metric }) } })

t.test('bid_ms: one value per call, missing for a failed call, named by the step', async (t) => {
  const events = [
    start(0, 'a', 'open'),
    start(0, 'b', 'nat'),
    bid(10, 'orch-0', 'a', true, 3.5),
    bid(11, 'orch-1', 'a', true, 7),
    bid(12, 'orch-0', 'b', true, 2),
    bid(12, 'orch-1', 'b', false, 0.4),
    bid(20, 'orch-1', 'b', false, 0.3, 'bid_after_loss_ms'),
    bid(21, 'orch-1', 'a', true, 5, 'bid_after_loss_ms'),
  ]
  const v = bidMetrics(events)
  t.strictSame(
    v.filter((x) => x.metric === 'bid_ms').map((x) => [x.node, x.group, x.value_ms]),
    [
      ['a', 'open', 3.5],
      ['a', 'open', 7],
      ['b', 'nat', 2],
      ['b', 'nat', null],
    ],
  )
  t.strictSame(byNode(v, 'bid_after_loss_ms'), { b: null, a: 5 })
  const s = summarize(v, ['open', 'nat'])
  const row = (metric: string, group: string) => s.find((r) => r.metric === metric && r.group === group)
  t.strictSame([row('bid_ms', 'nat')?.count, row('bid_ms', 'nat')?.missing], [1, 1])
  t.strictSame([row('bid_ms', 'all')?.count, row('bid_ms', 'all')?.missing], [3, 1])
  t.ok(
    deriveMetrics(events).some((x) => x.metric === 'bid_after_loss_ms'),
    'deriveMetrics includes bids',
  )

  t.strictSame(bidFailures(events), [
    { metric: 'bid_ms', group: 'nat', code: 'UNREACHABLE', count: 1, of: 2 },
    { metric: 'bid_after_loss_ms', group: 'nat', code: 'UNREACHABLE', count: 1, of: 1 },
  ])
  t.strictSame(
    bidFailures(events, 6).map((f) => f.metric),
    ['bid_after_loss_ms'],
    "from an index: one step's calls",
  )

  const errors = errorsCsv('r', 's', events).trim().split('\n')
  t.equal(errors.length, 3, 'header and one row per failed call')
  t.equal(errors[1], 'r,s,nat,b,12.000,orch.bid,ask_for_bid,UNREACHABLE')
  t.strictSame([...(errorCounts(events).get('nat') ?? [])], [['ask_for_bid UNREACHABLE', 2]])
})

t.test('libp2p nodes: no register_ms, full_pool_ms or join_pool_ms; the rest as NATS', async (t) => {
  const events = [
    ready(0, 'orch-0', '/ip4/127.0.0.1/tcp/1/p2p/A'),
    start(10, 'n', 'g', 'libp2p'),
    start(10, 'm', 'g'),
    ev(20, 'node.connected', { node: 'n', data: { server: '/ip4/127.0.0.1/tcp/1/p2p/A' } }),
    pool(20, 'n', ['/ip4/127.0.0.1/tcp/1/p2p/A']),
    mark(900, 'orch-0', 'n', 'CONNECTED'),
    ev(30, 'orch.start', { orch: 'orch-1', data: { joined: true } }),
    ready(40, 'orch-1', '/ip4/127.0.0.1/tcp/2/p2p/B', true),
  ]
  const v = discoveryMetrics(events)
  t.strictSame(
    v.filter((x) => x.node === 'n').map((x) => [x.metric, x.value_ms]),
    [
      ['connect_ms', 10],
      ['visible_ms', 890],
      ['visible_all_ms', 890],
    ],
  )
  t.ok(
    v.some((x) => x.node === 'm' && x.metric === 'register_ms'),
    'a NATS node still has register_ms',
  )
  t.ok(
    v.some((x) => x.node === 'm' && x.metric === 'join_pool_ms'),
    '...and join_pool_ms',
  )
  t.strictSame([...NATS_ONLY_METRICS], ['register_ms', 'full_pool_ms', 'join_pool_ms'])
})
