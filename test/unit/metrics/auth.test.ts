import t from 'tap'
import { event as ev } from '../../helpers/events.ts'
import { authMetrics } from '../../../sim/metrics/auth.ts'
import { discoveryMetrics } from '../../../sim/metrics/discovery.ts'
import type { SimEvent } from '../../../sim/core/events.ts'

const events: SimEvent[] = [
  ev(0, 'orch.ready', { orch: 'o1', data: { client: 'h:1' } }),
  ev(10, 'node.start', { node: 'bad-1', data: { group: 'bad', expect: 'rejected' } }),
  ev(13, 'node.error', { node: 'bad-1', data: { phase: 'connect', code: 'AUTHORIZATION_VIOLATION' } }),
  ev(10, 'node.start', { node: 'bad-2', data: { group: 'bad', expect: 'rejected' } }),
  ev(12, 'node.connected', { node: 'bad-2', data: { server: 'h:1' } }),
  ev(15, 'orch.register', { orch: 'o1', node: 'bad-2', data: { accepted: true } }),
  ev(10, 'node.start', { node: 'ok-1', data: { group: 'ok' } }),
  ev(14, 'orch.register', { orch: 'o1', node: 'ok-1', data: { accepted: true } }),
  ev(20, 'rogue.result', { data: { joined: true, messages: 4, first_ms: 7.5 } }),
  ev(30, 'rogue.result', { data: { joined: false, messages: 0, first_ms: null } }),
]

t.test('reject_ms, leaks and the rogue probe', async (t) => {
  const m = authMetrics(events).map((v) => [v.metric, v.node, v.group, v.value_ms])
  t.same(m, [
    ['reject_ms', 'bad-1', 'bad', 3],
    ['leaked_registration_ms', 'bad-2', 'bad', 5],
    ['rogue_seen_ms', 'rogue-1', 'rogue', 7.5],
    ['reject_ms', 'bad-2', 'bad', null],
  ])
})

t.test('nodes meant to be refused are not counted as discovery misses', async (t) => {
  t.same([...new Set(discoveryMetrics(events).map((v) => v.node))], ['ok-1'])
})
