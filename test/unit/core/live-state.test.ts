import t from 'tap'
import { ev } from '../../helpers/events.ts'
import type { EventKind, SimEvent } from '../../../sim/core/events.ts'
import { LiveState } from '../../../sim/core/live-state.ts'

const fold = (events: SimEvent[]): LiveState => {
  const s = new LiveState()
  for (const e of events) s.apply(e)
  return s
}

const ready = (t: number, orch: string, client: string) => ev(t, 'orch.ready', { orch }, { client, joined: false })
const start = (t: number, node: string, group = 'g') => ev(t, 'node.start', { node }, { group })
const connected = (t: number, node: string, server: string) => ev(t, 'node.connected', { node }, { server })

t.test('nodes: start, connect, register, pool, disconnect, reconnect', async (t) => {
  const s = fold([
    start(0, 'n1', 'edge'),
    connected(1, 'n1', 'h:1'),
    ev(2, 'node.registered', { node: 'n1' }, { accepted: true }),
    ev(3, 'node.pool', { node: 'n1' }, { servers: ['h:1', 'h:2'] }),
  ])
  const n = s.nodes.get('n1')
  t.equal(n?.group, 'edge')
  t.equal(n?.conn.server, 'h:1')
  t.equal(n?.registered, true)
  t.equal(n?.conn.failed, false)
  t.strictSame([...(n?.pool ?? [])], ['h:1', 'h:2'])
  t.equal(n?.lastReconnect, null)
  s.apply(ev(4, 'node.disconnected', { node: 'n1' }, { server: 'h:1' }))
  t.equal(n?.conn.server, null)
  s.apply(ev(5, 'node.reconnected', { node: 'n1' }, { server: 'h:2' }))
  t.equal(n?.conn.server, 'h:2')
  t.equal(n?.lastReconnect, 5)
  s.apply(ev(6, 'node.pool', { node: 'n1' }, { servers: ['h:2'] }))
  t.strictSame([...(n?.pool ?? [])], ['h:2'], 'pool replaced, not merged')
})

t.test('events of a node whose node.start has not arrived yet are kept (batches from several processes interleave)', async (t) => {
  const s = fold([connected(1, 'early', 'h:1'), ev(2, 'orch.node_state', { orch: 'o', node: 'early' }, { state: 'CONNECTED' })])
  t.equal(s.nodes.size, 1)
  t.equal(s.nodes.get('early')?.conn.server, 'h:1')
  t.same([...(s.nodes.get('early')?.visibleBy ?? [])], ['o'])
})

t.test('failures', async (t) => {
  const s = fold([
    start(0, 'a'),
    start(0, 'b'),
    start(0, 'c'),
    start(0, 'd'),
    connected(1, 'b', 'h:1'),
    connected(1, 'c', 'h:1'),
    connected(1, 'd', 'h:1'),
    ev(2, 'node.error', { node: 'a' }, { phase: 'connect', code: 'X', message: 'm' }),
    ev(2, 'node.register_failed', { node: 'b' }, { code: 'X', message: 'm' }),
    ev(2, 'node.closed', { node: 'c' }, { reason: 'max reconnects' }),
    ev(2, 'node.error', { node: 'd' }, { phase: 'heartbeat', code: 'X', message: 'm' }),
  ])
  t.equal(s.nodes.get('a')?.conn.failed, true, 'connect error')
  t.equal(s.nodes.get('b')?.conn.failed, true, 'register failed')
  t.equal(s.nodes.get('b')?.conn.server, null)
  t.equal(s.nodes.get('c')?.conn.failed, true, 'closed')
  t.equal(s.nodes.get('c')?.conn.server, null)
  t.equal(s.nodes.get('d')?.conn.failed, false, 'other errors are not fatal')
  t.equal(s.nodes.get('d')?.conn.server, 'h:1')
})

t.test('orchestrators: ready, down, visibility, heartbeats', async (t) => {
  const s = fold([
    ready(0, 'orch-0', 'h:1'),
    ready(0, 'orch-1', 'h:2'),
    start(1, 'n1'),
    ev(2, 'orch.node_state', { orch: 'orch-0', node: 'n1' }, { state: 'CONNECTED' }),
    ev(2, 'orch.node_state', { orch: 'orch-1', node: 'n1' }, { state: 'CONNECTED' }),
    ev(3, 'orch.heartbeat', { orch: 'orch-1', node: 'n1' }, { seq: 1 }),
    ev(4, 'orch.heartbeat', { orch: 'orch-1', node: 'n1' }, { seq: 2 }),
  ])
  const n = s.nodes.get('n1')
  t.strictSame([...(n?.visibleBy ?? [])].sort(), ['orch-0', 'orch-1'])
  t.strictSame([...(n?.lastHeartbeatAt ?? [])], [['orch-1', 4]])
  t.strictSame(
    s.liveOrchs().map(([name]) => name),
    ['orch-0', 'orch-1'],
  )
  s.apply(ev(5, 'orch.node_state', { orch: 'orch-1', node: 'n1' }, { state: 'DISCONNECTED' }))
  t.strictSame([...(n?.visibleBy ?? [])], ['orch-0'])
  s.apply(ev(6, 'orch.down', { orch: 'orch-0' }, { reason: 'kill' }))
  t.strictSame([...(n?.visibleBy ?? [])], [], 'a down orchestrator sees nothing')
  t.strictSame(s.orchs.get('orch-0'), { client: 'h:1', up: false })
  t.strictSame(
    s.liveOrchs().map(([name]) => name),
    ['orch-1'],
  )
  s.apply(ready(7, 'orch-0', 'h:9'))
  t.strictSame(s.orchs.get('orch-0'), { client: 'h:9', up: true }, 'restart on a new port')
})

t.test("fault.apply records the nodes on the target's server at that moment", async (t) => {
  const s = fold([
    ready(0, 'orch-0', 'h:1'),
    ready(0, 'orch-1', 'h:2'),
    start(0, 'a'),
    start(0, 'b'),
    start(0, 'c'),
    start(0, 'd'),
    connected(1, 'a', 'h:1'),
    connected(1, 'b', 'h:1'),
    connected(1, 'c', 'h:2'),
    connected(1, 'd', 'h:1'),
    ev(2, 'node.disconnected', { node: 'd' }, { server: 'h:1' }),
    ev(10, 'fault.apply', { orch: 'orch-0' }, { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'f3' }),
    connected(11, 'd', 'h:1'),
  ])
  t.equal(s.faults.length, 1)
  const f = s.faults[0]
  t.equal(f?.target, 'orch-0')
  t.equal(f?.type, 'kill')
  t.equal(f?.t, 10)
  t.strictSame([...(f?.affected ?? [])].sort(), ['a', 'b'], 'd was between servers; c on another')
})

t.test('fault.apply on an orchestrator never seen ready affects nobody', async (t) => {
  const s = fold([start(0, 'a'), ev(5, 'fault.apply', { orch: 'orch-7' }, { type: 'stop', disruptive: true })])
  t.equal(s.faults[0]?.affected.size, 0)
  t.equal(s.faults[0]?.type, 'stop')
})

t.test('harness events without node or orch change nothing', async (t) => {
  const s = fold([ev(0, 'run.start'), ev(1, 'mark', {}, { name: 'x' }), ev(2, 'step.start', {}, { index: 0, step: 'wait 1s' })])
  t.equal(s.nodes.size, 0)
  t.equal(s.orchs.size, 0)
  t.equal(s.faults.length, 0)
})

t.test('busiest: the live orchestrator with most nodes', async (t) => {
  const s = fold([
    ready(0, 'orch-0', 'h:1'),
    ready(0, 'orch-1', 'h:2'),
    ready(0, 'orch-2', 'h:3'),
    start(0, 'a'),
    start(0, 'b'),
    start(0, 'c'),
    connected(1, 'a', 'h:2'),
    connected(1, 'b', 'h:2'),
    connected(1, 'c', 'h:3'),
  ])
  t.equal(s.busiest(), 'orch-1')
  s.apply(ev(2, 'orch.down', { orch: 'orch-1' }, { reason: 'kill' }))
  t.equal(s.busiest(), 'orch-2', 'down orchestrators are not candidates (even with nodes still pointing at them)')
  t.equal(new LiveState().busiest(), null, 'no orchestrators')
  const allDown = fold([ready(0, 'orch-0', 'h:1'), ev(1, 'orch.down', { orch: 'orch-0' }, { reason: 'exit' })])
  t.equal(allDown.busiest(), null)
})

t.test('busiest: ties go to the lowest name', async (t) => {
  const s = fold([
    ready(0, 'orch-0', 'h:1'),
    ready(0, 'orch-1', 'h:2'),
    start(0, 'a'),
    start(0, 'b'),
    connected(1, 'a', 'h:1'),
    connected(1, 'b', 'h:2'),
  ])
  t.equal(s.busiest(), 'orch-0')
  // Orchestrators may become ready in any order; the tie-break is documented as "lowest name".
  t.test('busiest(): ties go to the lowest name', async (t) => {
    const r = fold([
      ready(0, 'orch-1', 'h:2'),
      ready(0, 'orch-0', 'h:1'),
      start(0, 'a'),
      start(0, 'b'),
      connected(1, 'a', 'h:1'),
      connected(1, 'b', 'h:2'),
    ])
    t.equal(r.busiest(), 'orch-0')
  })
})

t.test('an orchestrator mark that arrives before the node.start is kept', async (t) => {
  const s = new LiveState()
  s.apply({ t: 5, kind: 'orch.node_state', orch: 'orch-1', node: 'late', data: { state: 'CONNECTED' } })
  s.apply({ t: 4, kind: 'node.start', node: 'late', data: { group: 'g' } })
  t.same([...(s.nodes.get('late')?.visibleBy ?? [])], ['orch-1'])
  t.equal(s.nodes.get('late')?.group, 'g')
})
