import t from 'tap'
import type { SimEvent } from '../../../sim/core/events.ts'
import { discoveryMetrics } from '../../../sim/metrics/discovery.ts'
import { ordered, orchsUpAt } from '../../../sim/metrics/metric-value.ts'
import { byNode, ev, mark, pool, ready } from './fixtures.ts'

const start = (t: number, node: string, group: string) => ev(t, 'node.start', { node, data: { group } })

const events: SimEvent[] = [
  ready(0, 'o1', 'h1:4222'),
  ready(0, 'o2', 'h2:4222'),
  ready(0, 'o3', 'h3:4222'),
  // n1: everything happens; o3 marks it last
  start(10, 'n1', 'a'),
  ev(12, 'node.connected', { node: 'n1', data: { server: 'h1:4222' } }),
  pool(13, 'n1', ['h1:4222']),
  ev(15, 'node.registered', { node: 'n1', data: { accepted: true } }),
  mark(16, 'o1', 'n1', 'CONNECTED'),
  mark(18, 'o2', 'n1', 'CONNECTED'),
  pool(20, 'n1', ['h1:4222', 'h2:4222', 'h3:4222']),
  mark(25, 'o3', 'n1', 'CONNECTED'),
  // n2: first registration rejected; o3 goes down before marking it; o2 stays up and never marks it
  start(30, 'n2', 'b'),
  ev(31.5, 'node.connected', { node: 'n2', data: { server: 'h1:4222' } }),
  ev(32, 'node.registered', { node: 'n2', data: { accepted: false } }),
  ev(33, 'orch.down', { orch: 'o3', data: { reason: 'kill' } }),
  pool(35, 'n2', ['h1:4222', 'h2:4222']), // full: o3 is down by now
  mark(36, 'o1', 'n2', 'CONNECTED'),
  ev(40, 'node.registered', { node: 'n2', data: { accepted: true } }),
  // n3: started, then nothing
  start(50, 'n3', 'b'),
  ev(55, 'node.closed', { node: 'n2', data: { reason: 'gave up' } }),
  // o4 joins mid-run: n1 learns it (from the cluster, before o4's control plane is ready),
  // n2 had closed, n3 never learns it, n4 starts after it
  ev(56, 'orch.start', { orch: 'o4', data: { joined: true } }),
  pool(58, 'n1', ['h1:4222', 'h2:4222', 'h4:4222']),
  ready(60, 'o4', 'h4:4222', true),
  // n4: its live set is o1, o2, o4 (o3 is down)
  start(80, 'n4', 'a'),
  ev(81, 'node.connected', { node: 'n4', data: { server: 'h4:4222' } }),
  pool(82, 'n4', ['h1:4222', 'h2:4222']), // not full: h4 missing
  mark(83, 'o1', 'n4', 'CONNECTED'),
  mark(84, 'o2', 'n4', 'CONNECTED'),
  pool(85, 'n4', ['h1:4222', 'h2:4222', 'h4:4222']),
  mark(90, 'o4', 'n4', 'CONNECTED'),
]

t.test('discovery metrics per node', async (t) => {
  const m = discoveryMetrics(events)
  t.strictSame(byNode(m, 'connect_ms'), { n1: 2, n2: 1.5, n3: null, n4: 1 })
  t.strictSame(byNode(m, 'register_ms'), { n1: 5, n2: 10, n3: null, n4: null }, 'a rejected registration does not count')
  t.strictSame(byNode(m, 'full_pool_ms'), { n1: 10, n2: 5, n3: null, n4: 5 })
  t.strictSame(byNode(m, 'visible_ms'), { n1: 6, n2: 6, n3: null, n4: 3 })
  // n2: o3 went down before marking it (ignored) but o2 stayed up and never marked it -> missing
  t.strictSame(byNode(m, 'visible_all_ms'), { n1: 15, n2: null, n3: null, n4: 10 })
  t.strictSame(byNode(m, 'join_pool_ms'), { n1: 2, n3: null }, 'counted from orch.start; n2 closed and n4 started after the join: no rows')
  t.strictSame(
    m.filter((v) => v.node === 'n2').map((v) => v.group),
    Array(5).fill('b'),
    'rows carry the node group',
  )
})

t.test('an orchestrator that went down before marking is ignored', async (t) => {
  const m = discoveryMetrics([
    ready(0, 'o1', 'h1:4222'),
    ready(0, 'o2', 'h2:4222'),
    start(1, 'n1', 'a'),
    ev(2, 'orch.down', { orch: 'o2', data: { reason: 'stop' } }),
    mark(4, 'o1', 'n1', 'CONNECTED'),
    ready(5, 'o2', 'h2:4222'), // restarted, marks it later: still ignored, it went down first
    mark(9, 'o2', 'n1', 'CONNECTED'),
  ])
  t.strictSame(byNode(m, 'visible_all_ms'), { n1: 3 })
  t.strictSame(byNode(m, 'join_pool_ms'), {}, 'a restart is not a join')
})

t.test('no orchestrator up at start: full_pool and visible_all do not apply', async (t) => {
  const m = discoveryMetrics([start(0, 'n1', 'a'), ready(5, 'o1', 'h1:4222')])
  t.strictSame(
    m.map((v) => [v.metric, v.value_ms]),
    [
      ['connect_ms', null],
      ['register_ms', null],
      ['visible_ms', null],
    ],
  )
})

t.test('orchsUpAt follows down and restart', async (t) => {
  const evs = ordered([ready(0, 'o1', 'h1:4222'), ready(0, 'o2', 'h2:4222'), ev(10, 'orch.down', { orch: 'o1' }), ready(20, 'o1', 'h1:5222')])
  t.strictSame(
    [...orchsUpAt(evs, 5)],
    [
      ['o1', 'h1:4222'],
      ['o2', 'h2:4222'],
    ],
  )
  t.strictSame([...orchsUpAt(evs, 10)], [['o2', 'h2:4222']], 'down at exactly t is down')
  t.strictSame(
    [...orchsUpAt(evs, 20)],
    [
      ['o2', 'h2:4222'],
      ['o1', 'h1:5222'],
    ],
  )
})
