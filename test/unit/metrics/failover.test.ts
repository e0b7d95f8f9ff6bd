import t from 'tap'
import type { SimEvent } from '../../../sim/core/events.ts'
import { failoverMetrics } from '../../../sim/metrics/failover.ts'
import { byNode, ev, mark, ready } from './fixtures.ts'

const start = (node: string, group: string) => ev(1, 'node.start', { node, data: { group } })
const conn = (t: number, node: string, server: string, kind: 'node.connected' | 'node.reconnected' = 'node.connected') =>
  ev(t, kind, { node, data: { server } })
const hb = (t: number, orch: string, node: string) => ev(t, 'orch.heartbeat', { orch, node, data: { seq: 1 } })
const fault = (t: number, orch: string, target_kind = 'orchestrator') =>
  ev(t, 'fault.apply', { orch, data: { type: 'kill', disruptive: true, target_kind, id: 'f1' } })

const events: SimEvent[] = [
  ready(0, 'o1', 'h1:4222'),
  ready(0, 'o2', 'h2:4222'),
  ready(0, 'o3', 'h3:4222'),
  ...['n1', 'n2', 'n6', 'n7'].map((n) => start(n, 'a')),
  ...['n3', 'n4', 'n5'].map((n) => start(n, 'b')),
  ...['n1', 'n2', 'n4', 'n5', 'n6', 'n7'].map((n) => conn(2, n, 'h1:4222')),
  conn(2, 'n3', 'h2:4222'), // never on the target
  ev(5, 'node.disconnected', { node: 'n4', data: { server: 'h1:4222' } }),
  conn(6, 'n4', 'h2:4222', 'node.reconnected'), // moved away before the fault
  ev(8, 'node.closed', { node: 'n5', data: { reason: 'x' } }), // gone before the fault
  ev(100, 'node.disconnected', { node: 'n7', data: { server: 'h1:4222' } }), // same t, recorded before the fault
  ev(100, 'fault.apply', { orch: 'o3', data: { type: 'kill', disruptive: true, target_kind: 'network', id: 'f0' } }), // not an orchestrator fault
  fault(100, 'o1'),
  ev(100, 'orch.down', { orch: 'o1', data: { reason: 'kill' } }),
  ev(100, 'node.disconnected', { node: 'n1', data: { server: 'h1:4222' } }), // same t, caused by the fault
  ev(100.25, 'node.disconnected', { node: 'n2', data: { server: 'h1:4222' } }),
  mark(101, 'o2', 'n1', 'DISCONNECTED'),
  mark(101, 'o1', 'n2', 'DISCONNECTED'), // from the target itself: ignored
  hb(102, 'o2', 'n1'), // before n1 reconnected: ignored
  conn(103, 'n1', 'h2:4222', 'node.reconnected'),
  conn(104, 'n6', 'h3:4222', 'node.reconnected'),
  hb(104, 'o1', 'n1'), // from the target: ignored
  hb(105, 'o2', 'n1'),
  hb(106, 'o3', 'n1'),
  mark(110, 'o3', 'n1', 'DISCONNECTED'), // flap: n1 had already failed over
  ev(120, 'node.closed', { node: 'n2', data: { reason: 'gave up' } }),
  mark(130, 'o2', 'n2', 'DISCONNECTED'),
]

t.test('failover metrics for the affected nodes only', async (t) => {
  const m = failoverMetrics(events)
  t.strictSame([...new Set(m.map((v) => v.node))].sort(), ['n1', 'n2', 'n6'], 'n3, n4, n5, n7 were not on o1 at the fault')
  t.strictSame(byNode(m, 'detect_ms'), { n1: 0, n2: 0.25, n6: null })
  t.strictSame(byNode(m, 'reconnect_ms'), { n1: 3, n2: null, n6: 4 })
  t.strictSame(byNode(m, 'resume_ms'), { n1: 5, n2: null, n6: null })
  t.strictSame(byNode(m, 'closed_ms'), { n2: 20 }, 'rows only for nodes lost')
  // n1: marked before it reconnected; n2: never reconnected, so the row applies; n6: reconnected, no mark, no row
  t.strictSame(byNode(m, 'orch_detect_ms'), { n1: 1, n2: 30 })
  t.strictSame(byNode(m, 'flap_ms'), { n1: 10 })
  t.strictSame(
    m.filter((v) => v.node === 'n2').map((v) => v.group),
    Array(5).fill('a'), // detect, reconnect, resume, closed, orch_detect
  )
})

t.test('a node that never reconnected and was never marked is missing orch_detect', async (t) => {
  const m = failoverMetrics([ready(0, 'o1', 'h1:4222'), start('n1', 'a'), conn(2, 'n1', 'h1:4222'), fault(10, 'o1')])
  t.strictSame(
    m.map((v) => [v.metric, v.value_ms]),
    [
      ['detect_ms', null],
      ['reconnect_ms', null],
      ['resume_ms', null],
      ['orch_detect_ms', null],
    ],
  )
})

t.test('a node hit by two faults gets one row per fault', async (t) => {
  const m = failoverMetrics([
    ready(0, 'o1', 'h1:4222'),
    ready(0, 'o2', 'h2:4222'),
    ready(0, 'o3', 'h3:4222'),
    start('n1', 'a'),
    conn(2, 'n1', 'h1:4222'),
    fault(10, 'o1'),
    ev(10, 'node.disconnected', { node: 'n1', data: { server: 'h1:4222' } }),
    conn(11, 'n1', 'h2:4222', 'node.reconnected'),
    fault(20, 'o2'),
    ev(20.5, 'node.disconnected', { node: 'n1', data: { server: 'h2:4222' } }),
    conn(22, 'n1', 'h3:4222', 'node.reconnected'),
  ])
  const vals = (metric: string) => m.filter((v) => v.metric === metric).map((v) => v.value_ms)
  t.strictSame(vals('reconnect_ms'), [1, 2])
  // each fault looks at all later events: the first one's detect is its own disconnect at 10
  t.strictSame(vals('detect_ms'), [0, 0.5])
})

t.test('flap_ms: a thawed target marking nodes DISCONNECTED on its stale view is not a flap; a survivor is', async (t) => {
  const base = (mark2: SimEvent) => [
    ready(0, 'o1', 'h1:4222'),
    ready(0, 'o2', 'h2:4222'),
    start('n1', 'a'),
    conn(2, 'n1', 'h1:4222'),
    ev(10, 'fault.apply', { orch: 'o1', data: { type: 'freeze', disruptive: true, target_kind: 'orchestrator', id: 'f1' } }),
    ev(40, 'node.disconnected', { node: 'n1', data: { server: 'h1:4222' } }),
    conn(41, 'n1', 'h2:4222', 'node.reconnected'),
    hb(42, 'o2', 'n1'),
    ev(50, 'fault.heal', { orch: 'o1', data: { type: 'freeze', id: 'f1' } }),
    mark2,
  ]
  t.strictSame(byNode(failoverMetrics(base(mark(51, 'o1', 'n1', 'DISCONNECTED'))), 'flap_ms'), {}, 'the thawed target: no flap row')
  t.strictSame(byNode(failoverMetrics(base(mark(51, 'o2', 'n1', 'DISCONNECTED'))), 'flap_ms'), { n1: 41 }, 'a survivor: a flap')
})

t.test('each value names the fault it is measured from', async (t) => {
  const m = failoverMetrics([
    ready(0, 'o1', 'h1:4222'),
    ready(0, 'o2', 'h2:4222'),
    start('n1', 'a'),
    conn(2, 'n1', 'h1:4222'),
    ev(10, 'fault.apply', { orch: 'o1', data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'fa' } }),
    ev(10, 'node.disconnected', { node: 'n1', data: { server: 'h1:4222' } }),
    conn(11, 'n1', 'h2:4222', 'node.reconnected'),
    ev(20, 'fault.apply', { orch: 'o2', data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'fb' } }),
    ev(20.5, 'node.disconnected', { node: 'n1', data: { server: 'h2:4222' } }),
  ])
  t.strictSame(
    m.filter((v) => v.metric === 'detect_ms').map((v) => [v.fault, v.value_ms]),
    [
      ['fa', 0],
      ['fb', 0.5],
    ],
  )
})
