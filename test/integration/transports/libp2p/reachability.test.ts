import t from 'tap'
import { Libp2pOrchestrator } from '../../../../sim/transports/libp2p/libp2p-orchestrator.ts'
import { Libp2pComputeNode } from '../../../../sim/transports/libp2p/libp2p-compute-node.ts'
import { resolveLibp2pTimers } from '../../../../sim/model/libp2p-timers.ts'
import type { RawEvent } from '../../../../sim/core/events.ts'
import { waitFor, eventsOf } from './helpers.ts'

// Scale 0.01, but re-dial after 3 s (300 s before scaling): the window between a lost connection
// and the node's re-dial is where a non-dialable node cannot be reached, and the test needs it
// to stay open while it looks.
const timers = resolveLibp2pTimers(0.01, { redial_interval: 300_000 })

t.test('ask_for_bid reaches a NATed node only over the connection it opened', async (t) => {
  const events: RawEvent[] = []
  const emit = (e: RawEvent) => events.push(e)
  const o = new Libp2pOrchestrator({ name: 'o1', timers, seed: 1 }, emit)
  t.teardown(() => o.stop())
  await o.start()
  const open = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'dialable', group: 'public', peers: [o.multiaddr], dialable: true, timers, seed: 10 },
    emit,
  )
  const nat = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'natted', group: 'nat', peers: [o.multiaddr], dialable: false, timers, seed: 11 },
    emit,
  )
  t.teardown(() => open.stop())
  t.teardown(() => nat.stop())
  t.equal(await open.start(), true)
  t.equal(await nat.start(), true)
  t.type(open.multiaddr, 'string', 'the dialable node listens')
  t.equal(nat.multiaddr, null, 'the NATed node has no listen address')

  // 1. Both reachable while their own connections last. An orchestrator asks only nodes it
  // knows, and it knows them from gossip.
  await waitFor('the orchestrator to know both nodes', () => o.store.size === 2)
  const a1 = await o.askForBid(open.peerId, { JobID: 'j1' })
  const b1 = await o.askForBid(nat.peerId, { JobID: 'j1' })
  t.strictSame(a1, { ok: true, reply: { Accepted: true, NodeID: 'dialable' }, via: 'existing-connection' })
  t.strictSame(
    b1,
    { ok: true, reply: { Accepted: true, NodeID: 'natted' }, via: 'existing-connection' },
    'the NATed node answers over the connection it dialled',
  )

  // 2. Connections dropped (a NAT forgetting its mapping), before the nodes re-dial.
  const lostAt = Date.now()
  await o.hangUp(nat.peerId)
  await o.hangUp(open.peerId)
  await waitFor('both nodes to notice', () => eventsOf(events, 'node.disconnected').length === 2)
  const b2 = await o.askForBid(nat.peerId, { JobID: 'j2' })
  const a2 = await o.askForBid(open.peerId, { JobID: 'j2' })
  t.ok(Date.now() - lostAt < timers.redial_interval, 'still inside the re-dial window')
  t.equal(b2.ok, false, 'the NATed node cannot be reached')
  if (!b2.ok) {
    t.equal(b2.code, 'UNREACHABLE')
    t.match(b2.message, /NO_ADDRESSES/, 'the orchestrator has no address to dial it on')
  }
  t.strictSame(a2, { ok: true, reply: { Accepted: true, NodeID: 'dialable' }, via: 'new-dial' }, 'the dialable node is dialled back')
  await waitFor(
    "the orchestrator's dial to count as the dialable node's reconnect",
    () => eventsOf(events, 'node.reconnected', { node: 'dialable' }).length === 1,
  )
  t.equal(eventsOf(events, 'node.reconnected', { node: 'natted' }).length, 0, 'the NATed node is still cut off')

  // 3. The NATed node's own re-dial restores it.
  await waitFor(
    'the NATed node to re-dial',
    () => eventsOf(events, 'node.reconnected', { node: 'natted' }).length === 1,
    timers.redial_interval + 5_000,
  )
  t.equal(eventsOf(events, 'node.reconnecting', { node: 'natted' }).length, 1, 'one reconnecting per outage')
  // The dialler's side of a Noise handshake completes first: the node can report the reconnect
  // a moment before the orchestrator holds the connection.
  await waitFor('the orchestrator to hold the new connection', () => o.connectedTo(nat.peerId))
  const b3 = await o.askForBid(nat.peerId, { JobID: 'j3' })
  t.strictSame(b3, { ok: true, reply: { Accepted: true, NodeID: 'natted' }, via: 'existing-connection' })
})

t.test('ask_for_bid to a peer id nobody has: UNREACHABLE; not a peer id: ERROR', async (t) => {
  const o = new Libp2pOrchestrator({ name: 'o1', timers, seed: 2 }, () => {})
  t.teardown(() => o.stop())
  await o.start()
  const stranger = new Libp2pOrchestrator({ name: 'x', timers, seed: 3 }, () => {})
  await stranger.start()
  const id = stranger.peerId
  await stranger.stop()
  const r = await o.askForBid(id, {})
  t.equal(r.ok, false)
  if (!r.ok) t.equal(r.code, 'UNREACHABLE')
  const bad = await o.askForBid('not-a-peer-id', {})
  t.equal(bad.ok, false)
  if (!bad.ok) t.equal(bad.code, 'ERROR')
})
