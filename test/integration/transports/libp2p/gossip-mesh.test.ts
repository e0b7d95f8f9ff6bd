import t from 'tap'
import { dataOf } from '../../../helpers/events.ts'
import { Libp2pOrchestrator } from '../../../../sim/transports/libp2p/libp2p-orchestrator.ts'
import { Libp2pComputeNode } from '../../../../sim/transports/libp2p/libp2p-compute-node.ts'
import { resolveLibp2pTimers } from '../../../../sim/model/libp2p-timers.ts'
import type { RawEvent } from '../../../../sim/core/events.ts'
import { waitFor, eventsOf } from './helpers.ts'

// 1/100 of Bacalhau's: info every 50 ms for the first 300 ms, then every 300 ms; TTL 6 s.
const timers = resolveLibp2pTimers(0.01)

t.test('gossip crosses orchestrators: every orchestrator marks every node CONNECTED', async (t) => {
  const events: RawEvent[] = []
  const emit = (e: RawEvent) => events.push(e)
  const orchs = [
    new Libp2pOrchestrator({ name: 'o1', timers, seed: 1 }, emit),
    new Libp2pOrchestrator({ name: 'o2', timers, seed: 2 }, emit),
  ] as const
  for (const o of orchs) t.teardown(() => o.stop())
  await Promise.all(orchs.map((o) => o.start()))
  await orchs[1].connectTo(orchs[0].multiaddr)

  // Five nodes on each orchestrator; each node knows only its own.
  const nodes: Libp2pComputeNode[] = []
  for (let i = 0; i < 10; i++) {
    const home = orchs[i % 2] as Libp2pOrchestrator
    const node = new Libp2pComputeNode(
      { transport: 'libp2p', id: `n-${i}`, group: i % 2 === 0 ? 'g1' : 'g2', peers: [home.multiaddr], dialable: true, timers, seed: 100 + i },
      emit,
    )
    t.teardown(() => node.stop())
    nodes.push(node)
  }
  const started = await Promise.all(nodes.map((n) => n.start()))
  t.ok(
    started.every((s) => s === true),
    'all nodes started',
  )

  const marked = (o: Libp2pOrchestrator, n: Libp2pComputeNode) =>
    eventsOf(events, 'orch.node_state', { orch: o.spec.name, node: n.spec.id }).some((e) => dataOf(e)['state'] === 'CONNECTED')
  await waitFor('both orchestrators to mark all 10 nodes', () => orchs.every((o) => nodes.every((n) => marked(o, n))))

  for (const o of orchs) {
    t.equal(o.store.size, 10, `${o.spec.name} stores all 10 nodes`)
    for (const n of nodes) {
      t.equal(
        eventsOf(events, 'orch.node_state', { orch: o.spec.name, node: n.spec.id }).length,
        1,
        `${o.spec.name}: one CONNECTED for ${n.spec.id}, no flapping`,
      )
      t.equal(o.store.get(n.spec.id)?.peerId, n.peerId, "the info carries the node's peer id")
    }
  }
  // The cross-orchestrator half: o2 saw nodes that only ever dialled o1.
  t.ok(
    nodes.filter((_, i) => i % 2 === 0).every((n) => marked(orchs[1], n)),
    "o2 knows o1's nodes through gossip",
  )
  t.equal(eventsOf(events, 'orch.register').length, 0, 'no registration in libp2p mode')

  const hb = eventsOf(events, 'orch.heartbeat', { orch: 'o1', node: 'n-1' })
  t.ok(hb.length > 0, 'node info counts as heartbeats')
  const seqs = hb.map((e) => dataOf(e)['seq'] as number)
  t.strictSame(
    seqs,
    [...seqs].sort((a, b) => a - b),
    'Seq increases with each publish',
  )

  nodes.forEach((n, i) => {
    const home = (orchs[i % 2] as Libp2pOrchestrator).multiaddr
    const mine = events.filter((e) => e.node === n.spec.id && e.kind.startsWith('node.')).map((e) => e.kind)
    t.strictSame(mine, ['node.start', 'node.connected', 'node.pool'], `${n.spec.id}: start, connected, pool, nothing else`)
    t.strictSame(eventsOf(events, 'node.connected', { node: n.spec.id })[0]?.data, { server: home }, "connected names its orchestrator's multiaddr")
    t.strictSame(eventsOf(events, 'node.pool', { node: n.spec.id })[0]?.data, { servers: [home] }, 'the pool is the configured peers')
  })
  t.strictSame(
    eventsOf(events, 'orch.ready')
      .map((e) => dataOf(e)['client'])
      .sort(),
    orchs.map((o) => o.multiaddr).sort(),
    'orch.ready carries the /p2p/ multiaddr the pools use',
  )
})

t.test('a node that stops is forgotten after the TTL: DISCONNECTED', async (t) => {
  const events: RawEvent[] = []
  const emit = (e: RawEvent) => events.push(e)
  // TTL shortened to 1 s (100 s before scaling) so the test does not wait 6 s.
  const short = resolveLibp2pTimers(0.01, { store_ttl: 100_000 })
  const o = new Libp2pOrchestrator({ name: 'o1', timers: short, seed: 3 }, emit)
  t.teardown(() => o.stop())
  await o.start()
  const n = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'n-x', group: 'g', peers: [o.multiaddr], dialable: false, timers: short, seed: 200 },
    emit,
  )
  t.teardown(() => n.stop())
  t.equal(await n.start(), true)
  await waitFor('CONNECTED', () => eventsOf(events, 'orch.node_state', { node: 'n-x' }).length === 1)
  await n.stop()
  const stoppedAt = performance.timeOrigin + performance.now()
  await waitFor('DISCONNECTED after the TTL', () => eventsOf(events, 'orch.node_state', { node: 'n-x' }).length === 2, 15_000)
  const gone = eventsOf(events, 'orch.node_state', { node: 'n-x' })[1] as RawEvent
  t.equal(dataOf(gone)['state'], 'DISCONNECTED')
  // The last info left before the stop; expiry comes TTL after it, within one sweep.
  const waited = gone.at - stoppedAt
  t.ok(
    waited > short.store_ttl - short.info_interval - 50 && waited < short.store_ttl + short.store_check_interval + 500,
    `expired ${waited.toFixed(0)} ms after the stop (TTL ${short.store_ttl} ms)`,
  )
  t.equal(o.store.size, 0)
})
