import t from 'tap'
import { OrchestratorCluster } from '../../../../../sim/transports/nats/orchestrator/cluster.ts'
import { ComputeNode } from '../../../../../sim/transports/nats/compute/compute-node.ts'
import { registrationLock } from '../../../../../sim/transports/nats/compute/registration-lock.ts'
import { resolveTimers, PROFILES } from '../../../../../sim/model/profiles.ts'
import { sleep } from '../../../../../sim/core/clock.ts'
import { newRunId } from '../../../../../sim/platform/run-dir.ts'
import type { RawEvent } from '../../../../../sim/core/events.ts'
import type { OrchestratorSpec } from '../../../../../sim/transports/nats/orchestrator/orchestrator.ts'
import { natsServerBin, skipWithoutNats } from '../../../nats-available.ts'
import { v15ControlPlane } from '../../../../helpers/control-plane-settings.ts'

/**
 * Node membership in a real JetStream KV bucket shared by real nats-servers (docs/design.md,
 * "Orchestrator"): it outlives an orchestrator's restart; with one replica, the server holding
 * it dying fails every registration at every orchestrator; with three, registrations go on.
 */
// v1.5's timers at 1/10: heartbeat 1.5 s, check 2 s, disconnect after 6 s; a second is 100 ms.
const timers = resolveTimers('v1.5', 0.1)
const subjects = PROFILES['v1.5'].heartbeat_subjects
const TOKEN = 'tok-membership'

const specFor =
  (dir: string, runId: string, opts: { replicas: number; clustered: boolean }) =>
  (name: string, joined: boolean): OrchestratorSpec => ({
    name,
    runId,
    binary: natsServerBin() as string,
    dir,
    token: TOKEN,
    ...(opts.clustered ? { cluster: `test-${runId}` } : {}),
    controlPlane: v15ControlPlane(0.1, opts.replicas),
    lameDuck: { durationMs: 30_000, graceMs: 1_000 },
    joined,
  })

type Listed = { id: string; membership: string; connection: string }
const nodesApi = async (port: number): Promise<Listed[]> =>
  ((await (await fetch(`http://127.0.0.1:${port}/api/v1/orchestrator/nodes`)).json()) as { nodes: Listed[] }).nodes

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`)
}

const startNode = async (id: string, servers: string[], events: RawEvent[]): Promise<{ node: ComputeNode; ok: boolean }> => {
  const node = new ComputeNode(
    {
      transport: 'nats',
      id,
      group: 'g',
      orchestrators: servers.map((s) => `nats://${s}`).join(','),
      token: TOKEN,
      timers,
      heartbeatSubjects: subjects,
      serverOrder: 'go',
      seed: 3,
    },
    (e) => events.push(e),
  )
  return { node, ok: await node.start() }
}

t.test('membership survives an orchestrator restart; liveness does not', skipWithoutNats(), async (t) => {
  const cluster = await OrchestratorCluster.start(1, specFor(t.testdir(), newRunId(), { replicas: 1, clustered: false }), () => undefined)
  t.teardown(() => cluster.dispose())
  const o = cluster.members[0] as (typeof cluster.members)[number]
  const events: RawEvent[] = []
  const { node, ok } = await startNode('keep-1', [o.clientHostPort], events)
  t.teardown(() => node.stop())
  t.ok(ok, 'registered')
  await waitFor('listed CONNECTED', async () => (await nodesApi(o.httpPort))[0]?.connection === 'CONNECTED')

  await node.stop() // silent from here: nothing can make it CONNECTED again
  await cluster.restart(o.name)
  const after = await nodesApi(o.httpPort)
  t.same(
    after.map((n) => [n.id, n.membership, n.connection]),
    [['keep-1', 'APPROVED', 'DISCONNECTED']],
    'the restarted orchestrator still has the node (JetStream kept the bucket on disk), and has heard nothing from it',
  )

  // a node restarted with its registration lock skips RegisterNode, and is heard again
  const again: RawEvent[] = []
  const { node: back, ok: backOk } = await startNode('keep-1', [o.clientHostPort], again)
  t.teardown(() => back.stop())
  t.ok(backOk)
  t.match(
    again.find((e) => e.kind === 'node.registered'),
    { data: { lock: true, orchestrator: null } },
    'no RegisterNode: the lock was there',
  )
  await waitFor('CONNECTED again', async () => (await nodesApi(o.httpPort))[0]?.connection === 'CONNECTED')
  t.pass('CONNECTED again on its first heartbeat')
})

t.test('one replica: its server dies, and registrations fail at every orchestrator', skipWithoutNats(), async (t) => {
  const events: RawEvent[] = []
  const cluster = await OrchestratorCluster.start(3, specFor(t.testdir(), newRunId(), { replicas: 1, clustered: true }), (e) => events.push(e))
  t.teardown(() => cluster.dispose())
  const placement = await cluster.membershipPlacement()
  t.match(placement, { bucket: 'node_v1', replicas: 1 })
  t.equal(placement?.holders.length, 1, 'one server holds it')
  const leader = placement?.leader as string
  t.equal(placement?.holders[0], leader, 'and leads it')

  // a node registered before the loss
  const nodeEvents: RawEvent[] = []
  const all = cluster.members.map((o) => o.clientHostPort)
  const early = await startNode('early-1', all, nodeEvents)
  t.teardown(() => early.node.stop())
  t.ok(early.ok)

  await cluster.get(leader)?.kill()
  const survivors = cluster.live().map((o) => o.name)
  t.equal(survivors.length, 2)
  t.equal(await cluster.membershipPlacement(), null, 'nobody holds the bucket now')

  // a new node, and the registered one starting again without its lock, both asking the survivors
  const failed: RawEvent[] = []
  const fresh = await startNode(
    'fresh-1',
    cluster.live().map((o) => o.clientHostPort),
    failed,
  )
  registrationLock.remove('early-1')
  await early.node.stop()
  const rejoin = await startNode(
    'early-1',
    cluster.live().map((o) => o.clientHostPort),
    failed,
  )
  t.notOk(fresh.ok, 'a new node cannot register')
  t.notOk(rejoin.ok, 'nor can a known one that lost its lock: RegisterNode reads the bucket first')
  const codes = failed.filter((e) => e.kind === 'node.register_failed').map((e) => (e.data as { code: string }).code)
  t.equal(codes.length, 2)
  t.ok(
    codes.every((c) => c === 'TIMEOUT' || c === 'ORCHESTRATOR_ERROR'),
    `each failed with the store's silence or error (${codes.join(', ')})`,
  )
  // every survivor tried and failed (the bucket read times out after JetStream's 5 s)
  await waitFor(
    'both survivors report the failed registration of fresh-1',
    () => survivors.every((o) => events.some((e) => e.kind === 'orch.register' && e.orch === o && e.node === 'fresh-1' && e.data.accepted === false)),
    15_000,
  )
  for (const o of survivors) {
    const e = events.find((x) => x.kind === 'orch.register' && x.orch === o && x.node === 'fresh-1')
    t.match(e?.data, { accepted: false, error: /^[A-Z_]+$/ }, `${o} reports it with the store's code`)
  }

  // the server comes back with the bucket (its store on disk): registrations work again
  await cluster.restart(leader)
  await waitFor('the bucket back', async () => (await cluster.membershipPlacement())?.leader === leader, 20_000)
  const later = await startNode(
    'later-1',
    cluster.live().map((o) => o.clientHostPort),
    [],
  )
  t.teardown(() => later.node.stop())
  t.ok(later.ok, 'a node registers once the server holding the bucket is back')
})

t.test('three replicas: the leader dies, the survivors elect another, and registrations go on', skipWithoutNats(), async (t) => {
  const cluster = await OrchestratorCluster.start(3, specFor(t.testdir(), newRunId(), { replicas: 3, clustered: true }), () => undefined)
  t.teardown(() => cluster.dispose())
  const placement = await cluster.membershipPlacement()
  t.equal(placement?.holders.length, 3, 'every server holds a replica')
  const all = cluster.members.map((o) => o.clientHostPort)
  const known = await Promise.all(['r3-1', 'r3-2'].map((id) => startNode(id, all, [])))
  t.teardown(() => Promise.all(known.map((k) => k.node.stop())))
  t.ok(known.every((k) => k.ok))

  const dead = placement?.leader as string
  await cluster.get(dead)?.kill()
  const live = cluster.live().map((o) => o.clientHostPort)
  // Until the two survivors have elected a leader (nats-server's raft timers: seconds, and not
  // the run's time scale) the bucket answers nothing; then it answers everything.
  await waitFor('a new leader', async () => ![null, undefined, dead].includes((await cluster.membershipPlacement())?.leader), 30_000)
  // known nodes restarted without their lock find themselves in the bucket
  const events: RawEvent[] = []
  for (const k of known) {
    await k.node.stop()
    registrationLock.remove(k.node.spec.id)
  }
  const again = await Promise.all(known.map((k) => startNode(k.node.spec.id, live, events)))
  t.teardown(() => Promise.all(again.map((k) => k.node.stop())))
  t.ok(
    again.every((k) => k.ok),
    'every re-registration accepted',
  )
  t.strictSame(
    events.filter((e) => e.kind === 'node.register_failed').map((e) => e.data),
    [],
    'no registration failed',
  )
  const freshEvents: RawEvent[] = []
  const fresh = await startNode('r3-new', live, freshEvents)
  t.teardown(() => fresh.node.stop())
  t.ok(fresh.ok, 'a new node registers too (a write, which needs the new leader)', {
    failure: freshEvents.find((e) => e.kind === 'node.register_failed')?.data,
  })
})
