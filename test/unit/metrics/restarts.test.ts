import t from 'tap'
import { event as ev } from '../../helpers/events.ts'
import { restartMetrics } from '../../../sim/metrics/restarts.ts'
import { byNode } from './fixtures.ts'

const start = (t: number, node: string, group = 'g', expect?: string) => ev(t, 'node.start', { node, data: { group, ...(expect ? { expect } : {}) } })
const hb = (t: number, orch: string, node: string, seq: number) => ev(t, 'orch.heartbeat', { orch, node, data: { seq } })
const restart = (t: number, node: string, keep = true) => ev(t, 'node.restart', { node, data: { keep_lock: keep } })
const failed = (t: number, node: string, code = 'TIMEOUT') => ev(t, 'node.register_failed', { node, data: { code, message: 'm' } })

t.test('rejoin_ms: restart → the first heartbeat accepted from its new life', async (t) => {
  const events = [
    start(0, 'a'),
    hb(10, 'o1', 'a', 1),
    restart(100, 'a'),
    hb(101, 'o1', 'a', 9), // the old life's last heartbeat, still on its way
    start(105, 'a'),
    hb(130, 'o2', 'a', 1),
    hb(140, 'o1', 'a', 1),
  ]
  t.strictSame(byNode(restartMetrics(events), 'rejoin_ms'), { a: 30 })
  t.strictSame(byNode(restartMetrics(events), 'register_failed_ms'), {}, 'no failures: no rows')
})

t.test('a restarted node whose registration fails: rejoin_ms missing, register_failed_ms from the restart', async (t) => {
  const events = [start(0, 'a'), hb(10, 'o1', 'a', 1), restart(100, 'a', false), start(101, 'a'), failed(2101, 'a')]
  const m = restartMetrics(events)
  t.strictSame(byNode(m, 'rejoin_ms'), { a: null })
  t.strictSame(byNode(m, 'register_failed_ms'), { a: 2001 })
  t.strictSame(
    m.map((v) => v.group),
    ['g', 'g'],
  )
})

t.test('register_failed_ms at first start; nodes meant to be refused are left to reject_ms', async (t) => {
  const events = [
    start(0, 'a'),
    failed(50, 'a', 'ORCHESTRATOR_ERROR'),
    start(0, 'bad', 'x', 'rejected'),
    failed(3, 'bad', 'REJECTED'),
    start(0, 'ok'),
  ]
  t.strictSame(byNode(restartMetrics(events), 'register_failed_ms'), { a: 50 })
  t.strictSame(byNode(restartMetrics(events), 'rejoin_ms'), {}, 'nothing restarted')
})
