import t from 'tap'
import { ev } from '../../helpers/events.ts'
import type { EventKind, SimEvent } from '../../../sim/core/events.ts'
import { evaluate } from '../../../sim/steps/conditions.ts'
import { LiveState } from '../../../sim/core/live-state.ts'

const ready = (t: number, orch: string, client: string) => ev(t, 'orch.ready', { orch }, { client, joined: false })
const start = (t: number, node: string) => ev(t, 'node.start', { node }, { group: 'g' })
const connected = (t: number, node: string, server: string) => ev(t, 'node.connected', { node }, { server })
const registered = (t: number, node: string) => ev(t, 'node.registered', { node }, { accepted: true })
const pool = (t: number, node: string, servers: string[]) => ev(t, 'node.pool', { node }, { servers })
const visible = (t: number, orch: string, node: string, state = 'CONNECTED') => ev(t, 'orch.node_state', { orch, node }, { state })
const hb = (t: number, orch: string, node: string) => ev(t, 'orch.heartbeat', { orch, node }, { seq: 1 })
const reconnected = (t: number, node: string, server: string) => ev(t, 'node.reconnected', { node }, { server })
const disconnected = (t: number, node: string, server: string) => ev(t, 'node.disconnected', { node }, { server })
const fault = (t: number, orch: string) => ev(t, 'fault.apply', { orch }, { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'f' })
const down = (t: number, orch: string) => ev(t, 'orch.down', { orch }, { reason: 'kill' })

const state = (events: SimEvent[]): LiveState => {
  const s = new LiveState()
  for (const e of events) s.apply(e)
  return s
}
const HB = { heartbeats: () => true }
/** total and pending, without the examples */
const counts = (r: { total: number; pending: number }) => ({ total: r.total, pending: r.pending })
const NO_HB = { heartbeats: () => false }

t.test('empty state: nothing pending', async (t) => {
  const s = new LiveState()
  for (const c of ['registered', 'pool_complete', 'discovered', 'recovered'] as const)
    t.strictSame(counts(evaluate(c, s, HB)), { total: 0, pending: 0 }, c)
})

t.test('registered', async (t) => {
  const s = state([start(0, 'a'), start(0, 'b'), start(0, 'c'), start(0, 'd')])
  t.match(evaluate('registered', s, HB), { total: 4, pending: 4 })
  s.apply(registered(1, 'a'))
  t.match(evaluate('registered', s, HB), { total: 4, pending: 3 })
  s.apply(ev(1, 'node.register_failed', { node: 'b' }, { code: 'X', message: 'no' }))
  t.strictSame(evaluate('registered', s, HB), { total: 4, pending: 2, gaveUp: 1 }, 'failed nodes are not pending, but still counted in total')
  s.apply(registered(2, 'c'))
  s.apply(registered(2, 'd'))
  t.match(evaluate('registered', s, HB), { total: 4, pending: 0 })
})

t.test("pool_complete: every live orchestrator in every live node's pool", async (t) => {
  const s = state([ready(0, 'orch-0', 'h:1'), ready(0, 'orch-1', 'h:2'), start(0, 'a'), start(0, 'b'), start(0, 'c')])
  t.match(evaluate('pool_complete', s, HB), { total: 3, pending: 3 })
  s.apply(pool(1, 'a', ['h:1', 'h:2']))
  s.apply(pool(1, 'b', ['h:1']))
  s.apply(pool(1, 'c', ['h:2', 'h:1', 'h:9']))
  t.match(evaluate('pool_complete', s, HB), { total: 3, pending: 1 }, 'b lacks h:2; extra entries are fine')
  s.apply(ready(2, 'orch-2', 'h:3'))
  t.match(evaluate('pool_complete', s, HB), { total: 3, pending: 3 }, 'a new orchestrator must reach every pool')
  s.apply(down(3, 'orch-2'))
  t.match(evaluate('pool_complete', s, HB), { total: 3, pending: 1 }, 'a down orchestrator is not required')
  s.apply(ev(4, 'node.closed', { node: 'b' }, { reason: 'x' }))
  t.match(evaluate('pool_complete', s, HB), { total: 2, pending: 0 }, 'failed nodes drop out of total')
})

t.test('discovered: registered, pool ⊇ live orchestrators, visible by each live one', async (t) => {
  const s = state([ready(0, 'orch-0', 'h:1'), ready(0, 'orch-1', 'h:2'), start(0, 'a'), start(0, 'b')])
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 2 })
  // a: everything but registration
  s.apply(pool(1, 'a', ['h:1', 'h:2']))
  s.apply(visible(1, 'orch-0', 'a'))
  s.apply(visible(1, 'orch-1', 'a'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 2 }, 'not registered yet')
  s.apply(registered(2, 'a'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 1 })
  // b: registered, visible by both, pool incomplete
  s.apply(registered(2, 'b'))
  s.apply(visible(2, 'orch-0', 'b'))
  s.apply(visible(2, 'orch-1', 'b'))
  s.apply(pool(2, 'b', ['h:1']))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 1 }, 'pool incomplete')
  s.apply(pool(3, 'b', ['h:1', 'h:2']))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 0 })
  s.apply(visible(4, 'orch-1', 'b', 'DISCONNECTED'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 1 }, 'no longer visible by orch-1')
  // a new orchestrator: nobody is discovered by it yet
  s.apply(ready(5, 'orch-2', 'h:3'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 2 })
  s.apply(pool(6, 'a', ['h:1', 'h:2', 'h:3']))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 2 }, 'in the pool, but orch-2 has not seen it')
  s.apply(visible(6, 'orch-2', 'a'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 1 })
  // an orchestrator going down removes the requirement
  s.apply(down(7, 'orch-2'))
  s.apply(visible(7, 'orch-1', 'b'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 0 })
})

t.test('discovered: failed nodes are left out', async (t) => {
  const s = state([
    ready(0, 'orch-0', 'h:1'),
    start(0, 'a'),
    start(0, 'b'),
    ev(1, 'node.error', { node: 'b' }, { phase: 'connect', code: 'X', message: 'm' }),
  ])
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 1, pending: 1 })
  s.apply(registered(2, 'a'))
  s.apply(pool(2, 'a', ['h:1']))
  s.apply(visible(2, 'orch-0', 'a'))
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 1, pending: 0 })
})

/** Three orchestrators; a, b on h:1 (orch-0), c on h:2 (orch-1). */
const steady = () => [
  ready(0, 'orch-0', 'h:1'),
  ready(0, 'orch-1', 'h:2'),
  ready(0, 'orch-2', 'h:3'),
  start(0, 'a'),
  start(0, 'b'),
  start(0, 'c'),
  connected(1, 'a', 'h:1'),
  connected(1, 'b', 'h:1'),
  connected(1, 'c', 'h:2'),
  hb(2, 'orch-0', 'a'),
  hb(2, 'orch-1', 'a'),
]

t.test('recovered: no fault yet', async (t) => {
  t.match(evaluate('recovered', state(steady()), HB), { total: 0, pending: 0 })
})

t.test('recovered with heartbeats: reconnect after the fault, then a heartbeat from a non-target orchestrator', async (t) => {
  const s = state([...steady(), fault(10, 'orch-0')])
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 }, 'a and b affected, c not')
  s.apply(down(10, 'orch-0'))
  s.apply(disconnected(10.5, 'a', 'h:1'))
  s.apply(disconnected(10.5, 'b', 'h:1'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 })
  s.apply(reconnected(11, 'a', 'h:2'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 }, 'back, but a heartbeat before the reconnect does not count')
  t.match(evaluate('recovered', s, NO_HB), { total: 2, pending: 1 }, 'without heartbeats, reconnecting is enough')
  s.apply(hb(11, 'orch-1', 'a'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 }, "a heartbeat at the reconnect's exact time is not after it")
  s.apply(hb(12, 'orch-0', 'a'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 }, 'a heartbeat from the target does not count')
  s.apply(hb(12, 'orch-2', 'a'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 1 })
  // b: reconnects, then disconnects again before any heartbeat
  s.apply(reconnected(13, 'b', 'h:3'))
  s.apply(hb(14, 'orch-2', 'b'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 0 })
  s.apply(disconnected(15, 'b', 'h:3'))
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 1 }, 'off a server again: not recovered')
})

t.test('recovered: a reconnect before the fault does not count', async (t) => {
  const s = state([...steady(), disconnected(5, 'a', 'h:1'), reconnected(6, 'a', 'h:1'), hb(7, 'orch-1', 'a'), fault(10, 'orch-0')])
  t.match(evaluate('recovered', s, NO_HB), { total: 2, pending: 2 })
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 2 })
})

t.test('recovered: failed nodes are done, and counted as gave up, not recovered', async (t) => {
  const s = state([...steady(), fault(10, 'orch-0'), ev(11, 'node.closed', { node: 'a' }, { reason: 'max reconnects' })])
  t.strictSame(evaluate('recovered', s, HB), { total: 2, pending: 1, gaveUp: 1 })
  s.apply(ev(12, 'node.closed', { node: 'b' }, { reason: 'max reconnects' }))
  t.strictSame(evaluate('recovered', s, HB), { total: 2, pending: 0, gaveUp: 2 }, 'none recovered: every node gave up')
})

t.test('recovered: only the latest fault, its affected set fixed at apply time', async (t) => {
  const s = state([
    ...steady(),
    fault(10, 'orch-0'),
    reconnected(11, 'a', 'h:2'),
    hb(12, 'orch-1', 'a'),
    reconnected(11, 'b', 'h:2'),
    hb(12, 'orch-1', 'b'),
  ])
  t.match(evaluate('recovered', s, HB), { total: 2, pending: 0 })
  s.apply(fault(20, 'orch-1'))
  t.match(evaluate('recovered', s, HB), { total: 3, pending: 3 }, 'a, b, c now all on h:2')
  s.apply(reconnected(21, 'c', 'h:3'))
  s.apply(hb(22, 'orch-2', 'c'))
  t.match(evaluate('recovered', s, HB), { total: 3, pending: 2 })
  s.apply(start(23, 'late'))
  s.apply(connected(23, 'late', 'h:2'))
  t.match(evaluate('recovered', s, HB), { total: 3, pending: 2 }, 'a node that arrives after the fault is not affected')
})

t.test('discovered: a timeout can say which nodes are pending and why', async (t) => {
  const s = state([
    ready(0, 'orch-0', 'h:1'),
    ready(0, 'orch-1', 'h:2'),
    start(1, 'a'),
    connected(2, 'a', 'h:1'),
    ev(3, 'node.registered', { node: 'a' }, { accepted: true }),
    pool(3, 'a', ['h:1']),
  ])
  t.match(evaluate('discovered', s, HB).examples, ['a: orch-1 not in its pool, not CONNECTED at orch-0, not CONNECTED at orch-1'])
})

t.test('discovered: a group that can never read CONNECTED is waited for registered with a full pool, and named', async (t) => {
  const s = state([
    ready(0, 'orch-0', 'h:1'),
    ev(0, 'node.start', { node: 'old' }, { group: 'v1-3-0' }),
    ev(0, 'node.start', { node: 'new' }, { group: 'v1-4' }),
  ])
  const opts = { heartbeats: (g: string) => g !== 'v1-3-0', neverConnected: (g: string) => g === 'v1-3-0' }
  t.strictSame(counts(evaluate('discovered', s, opts)), { total: 2, pending: 2 })
  for (const n of ['old', 'new']) {
    s.apply(registered(1, n))
    s.apply(pool(1, n, ['h:1']))
  }
  const r = evaluate('discovered', s, opts)
  t.strictSame(counts(r), { total: 2, pending: 1 }, 'the v1.3.0 node is done once registered with a full pool')
  t.match(r.examples, ['new: not CONNECTED at orch-0'])
  t.strictSame([...(r.neverConnected ?? [])], [['v1-3-0', 1]], 'and the wait can say so')
  s.apply(visible(2, 'orch-0', 'new'))
  t.strictSame(counts(evaluate('discovered', s, opts)), { total: 2, pending: 0 })
  t.equal(evaluate('discovered', s, HB).neverConnected, undefined, 'without the option, nothing is set aside')
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 2, pending: 1 }, 'and the v1.3.0 node would be waited for in vain')
})

t.test('a restarted node registers again: not registered until it says so, and a failure of an earlier life does not stick', async (t) => {
  const s = state([ready(0, 'orch-0', 'h:1'), start(0, 'a'), registered(1, 'a'), pool(1, 'a', ['h:1']), visible(1, 'orch-0', 'a')])
  t.strictSame(counts(evaluate('discovered', s, HB)), { total: 1, pending: 0 })
  s.apply(ev(5, 'node.restart', { node: 'a' }, { keep_lock: false }))
  t.strictSame(counts(evaluate('registered', s, HB)), { total: 1, pending: 1 })
  s.apply(start(6, 'a'))
  s.apply(ev(7, 'node.register_failed', { node: 'a' }, { code: 'TIMEOUT', message: 'm' }))
  t.strictSame(evaluate('registered', s, HB), { total: 1, pending: 0, gaveUp: 1 })
  s.apply(ev(8, 'node.restart', { node: 'a' }, { keep_lock: true }))
  s.apply(start(9, 'a'))
  t.strictSame(evaluate('registered', s, HB), { total: 1, pending: 1, gaveUp: 0 }, 'started again: trying, not given up')
  s.apply(ev(10, 'node.registered', { node: 'a' }, { accepted: true, orchestrator: null, lock: true }))
  t.strictSame(evaluate('registered', s, HB), { total: 1, pending: 0, gaveUp: 0 })
})

t.test('recovered: a node restarted after the fault is back once its new life connects (a first connect, not a reconnect)', async (t) => {
  const s = state([...steady(), fault(10, 'orch-0'), down(10, 'orch-0')])
  t.match(evaluate('recovered', s, NO_HB), { total: 2, pending: 2 })
  for (const n of ['a', 'b']) {
    s.apply(ev(11, 'node.restart', { node: n }, { keep_lock: true }))
    s.apply(start(12, n))
    s.apply(connected(13, n, 'h:2'))
  }
  t.match(evaluate('recovered', s, NO_HB), { total: 2, pending: 0 })
})
