import t from 'tap'
import { dataOf } from '../../../helpers/events.ts'
import { Libp2pOrchestrator } from '../../../../sim/transports/libp2p/libp2p-orchestrator.ts'
import { Libp2pComputeNode } from '../../../../sim/transports/libp2p/libp2p-compute-node.ts'
import { resolveLibp2pTimers } from '../../../../sim/model/libp2p-timers.ts'
import { isNetsimError } from '../../../../sim/core/errors.ts'
import type { RawEvent } from '../../../../sim/core/events.ts'
import { eventsOf } from './helpers.ts'

const timers = resolveLibp2pTimers(0.01)

t.test('a first dial to a dead address stops the node', async (t) => {
  // A real orchestrator's identity on a port where nothing listens.
  const o = new Libp2pOrchestrator({ name: 'o1', timers, seed: 1 }, () => {})
  await o.start()
  const dead = `/ip4/127.0.0.1/tcp/1/p2p/${o.peerId}`
  await o.stop()

  const events: RawEvent[] = []
  const node = new Libp2pComputeNode({ transport: 'libp2p', id: 'n-1', group: 'g', peers: [dead], dialable: false, timers, seed: 5 }, (e) =>
    events.push(e),
  )
  t.teardown(() => node.stop())
  t.equal(await node.start(), false, 'start() reports the failure')
  t.strictSame(
    events.map((e) => e.kind),
    ['node.start', 'node.error'],
    'no connected, no stopped: the node gave up',
  )
  const err = events[1] as RawEvent
  t.equal(dataOf(err)['phase'], 'connect')
  t.equal(dataOf(err)['code'], 'CONNECTION_REFUSED')
  t.equal(dataOf(err)['server'], dead)
  t.match(dataOf(err)['message'], /ECONNREFUSED/)
})

t.test('one dead peer among live ones still stops the node (Bacalhau: any first-dial error is fatal)', async (t) => {
  const live = new Libp2pOrchestrator({ name: 'live', timers, seed: 2 }, () => {})
  t.teardown(() => live.stop())
  await live.start()
  const gone = new Libp2pOrchestrator({ name: 'gone', timers, seed: 3 }, () => {})
  await gone.start()
  const dead = gone.multiaddr
  await gone.stop()

  const events: RawEvent[] = []
  const node = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'n-2', group: 'g', peers: [live.multiaddr, dead], dialable: true, timers, seed: 6 },
    (e) => events.push(e),
  )
  t.teardown(() => node.stop())
  t.equal(await node.start(), false)
  t.strictSame(
    events.map((e) => e.kind),
    ['node.start', 'node.connected', 'node.error'],
    'connected to the live one, then gave up',
  )
  t.equal(dataOf(eventsOf(events, 'node.connected')[0])['server'], live.multiaddr)
  t.equal(dataOf(eventsOf(events, 'node.error')[0])['server'], dead)
})

t.test('an address whose peer id belongs to someone else is refused', async (t) => {
  const o = new Libp2pOrchestrator({ name: 'o1', timers, seed: 4 }, () => {})
  t.teardown(() => o.stop())
  await o.start()
  const other = new Libp2pOrchestrator({ name: 'other', timers, seed: 5 }, () => {})
  await other.start()
  const otherId = other.peerId
  await other.stop()
  const wrong = o.multiaddr.replace(o.peerId, otherId)

  const events: RawEvent[] = []
  const node = new Libp2pComputeNode({ transport: 'libp2p', id: 'n-3', group: 'g', peers: [wrong], dialable: false, timers, seed: 7 }, (e) =>
    events.push(e),
  )
  t.teardown(() => node.stop())
  t.equal(await node.start(), false)
  t.equal(dataOf(eventsOf(events, 'node.error')[0])['code'], 'PEER_ID_MISMATCH')
})

t.test('a malformed --peer is a config error naming group and address', async (t) => {
  const node = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'n-4', group: 'edge', peers: ['/ip4/127.0.0.1/tcp/1235'], dialable: false, timers, seed: 8 },
    () => {},
  )
  t.teardown(() => node.stop())
  const err = await node.start().then(
    () => null,
    (e: unknown) => e,
  )
  t.ok(isNetsimError(err, 'E_CONFIG'))
  t.match((err as Error).message, /group "edge".*\/ip4\/127\.0\.0\.1\/tcp\/1235/)
})

t.test('peer ids are deterministic from the seed', async (t) => {
  const a = new Libp2pOrchestrator({ name: 'a', timers, seed: 42 }, () => {})
  const b = new Libp2pOrchestrator({ name: 'b', timers, seed: 42 }, () => {})
  const c = new Libp2pOrchestrator({ name: 'c', timers, seed: 43 }, () => {})
  for (const o of [a, b, c]) t.teardown(() => o.stop())
  await Promise.all([a.start(), b.start(), c.start()])
  t.equal(a.peerId, b.peerId, 'same seed, same id')
  t.not(a.peerId, c.peerId, 'another seed, another id')
  const n = new Libp2pComputeNode({ transport: 'libp2p', id: 'n', group: 'g', peers: [a.multiaddr], dialable: false, timers, seed: 42 }, () => {})
  t.teardown(() => n.stop())
  await n.start()
  t.not(n.peerId, a.peerId, 'a compute node and an orchestrator with one seed differ (role is mixed in)')
})
