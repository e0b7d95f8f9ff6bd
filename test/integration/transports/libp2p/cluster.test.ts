import t from 'tap'
import { dataOf } from '../../../helpers/events.ts'
import type { RawEvent } from '../../../../sim/core/events.ts'
import { Libp2pCluster } from '../../../../sim/transports/libp2p/libp2p-cluster.ts'
import { Libp2pComputeNode } from '../../../../sim/transports/libp2p/libp2p-compute-node.ts'
import { resolveLibp2pTimers } from '../../../../sim/model/libp2p-timers.ts'
import { newRunId, processesOfRun } from '../../../../sim/platform/run-dir.ts'
import { waitFor, eventsOf } from './helpers.ts'

const timers = resolveLibp2pTimers(0.01)

t.test('libp2p orchestrators in their own processes: mesh, faults, restart on the same address, bids', async (t) => {
  const runId = newRunId()
  const events: RawEvent[] = []
  const record = (e: RawEvent) => events.push(e)
  const cluster = await Libp2pCluster.start(2, (name, joined) => ({ name, runId, joined, timers, seed: Number(name.slice(5)) + 1 }), record)
  t.teardown(() => cluster.dispose())
  const [o0, o1] = cluster.members
  if (o0 === undefined || o1 === undefined) throw new Error('two members')
  t.strictSame(
    cluster.members.map((m) => m.name),
    ['orch-0', 'orch-1'],
  )
  t.match(o0.multiaddr, /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\/12D3KooW/)
  t.equal(o0.clientHostPort, o0.multiaddr, 'nodes are given the multiaddr')
  t.strictSame(
    eventsOf(events, 'orch.ready')
      .map((e) => dataOf(e)['client'])
      .sort(),
    [o0.multiaddr, o1.multiaddr].sort(),
    'orch.ready carries the multiaddr, as NATS carries host:port',
  )
  t.equal(eventsOf(events, 'orch.start').length, 2)
  t.equal(processesOfRun(runId).length, 2, 'one process per orchestrator, tagged with the run id')

  // A node on orch-0 only; orch-1 learns it through gossip, and can ask it (it listens).
  const node = new Libp2pComputeNode(
    { transport: 'libp2p', id: 'n-0', group: 'g', peers: [o0.multiaddr], dialable: true, subscribe: false, timers, seed: 9 },
    record,
  )
  t.teardown(() => node.stop())
  t.equal(await node.start(), true)
  await waitFor('both orchestrators to know n-0', () =>
    ['orch-0', 'orch-1'].every((o) => eventsOf(events, 'orch.node_state', { orch: o, node: 'n-0' }).length > 0),
  )
  const tally = await o1.askForBid(['n-0', 'nobody'], 5_000, 'bid_ms')
  t.strictSame(tally, { asked: 2, ok: 1 })
  const bids = eventsOf(events, 'orch.bid', { orch: 'orch-1' })
  t.strictSame(bids.map((e) => [e.node, dataOf(e)['ok'], dataOf(e)['code'], dataOf(e)['metric']]).sort(), [
    ['n-0', true, 'OK', 'bid_ms'],
    ['nobody', false, 'UNKNOWN', 'bid_ms'],
  ])
  t.equal(dataOf(bids.find((e) => e.node === 'n-0'))['via'], 'new-dial', 'orch-1 dialled it at the address its node info gave')
  t.type(dataOf(bids[0])['ms'], 'number')

  // Kill: orch.down, the node notices; restart: same identity, same port, the node comes back.
  const before = o0.multiaddr
  await o0.kill()
  t.equal(o0.state, 'down')
  t.strictSame(
    eventsOf(events, 'orch.down', { orch: 'orch-0' }).map((e) => dataOf(e)['reason']),
    ['kill'],
  )
  await waitFor('the node to notice', () => eventsOf(events, 'node.disconnected', { node: 'n-0' }).length === 1)
  await cluster.restart('orch-0')
  t.equal(o0.state, 'up')
  t.equal(o0.multiaddr, before, 'same peer id and port after a restart')
  await waitFor('the node to re-dial it', () => eventsOf(events, 'node.reconnected', { node: 'n-0' }).length === 1, 10_000)

  // Freeze / thaw: events as NATS orchestrators emit them.
  o1.freeze()
  t.equal(o1.state, 'frozen')
  o1.thaw()
  t.equal(o1.state, 'up')
  t.strictSame(
    eventsOf(events, 'orch.down', { orch: 'orch-1' }).map((e) => dataOf(e)['reason']),
    ['freeze'],
  )
  t.equal(dataOf(eventsOf(events, 'orch.ready', { orch: 'orch-1' }).at(-1))['thawed'], true)
  t.notOk('lameDuck' in o1, 'no lame duck: a nats-server feature, and plans asking for it are refused')

  // A scale step: a third member joins the mesh.
  const o2 = await cluster.add()
  t.equal(o2.name, 'orch-2')
  t.equal(dataOf(eventsOf(events, 'orch.start', { orch: 'orch-2' })[0])['joined'], true)
  await waitFor('orch-2 to learn n-0 by gossip', () => eventsOf(events, 'orch.node_state', { orch: 'orch-2', node: 'n-0' }).length > 0, 10_000)

  await o1.stop()
  t.strictSame(
    eventsOf(events, 'orch.down', { orch: 'orch-1' }).map((e) => dataOf(e)['reason']),
    ['freeze', 'stop'],
    'stop: a clean shutdown',
  )
  await cluster.dispose()
  t.strictSame(processesOfRun(runId), [], 'nothing left running')
})
