import t from 'tap'
import { OrchestratorCluster } from '../../../../../sim/transports/nats/orchestrator/cluster.ts'
import { ComputeNode } from '../../../../../sim/transports/nats/compute/compute-node.ts'
import { resolveTimers, PROFILES } from '../../../../../sim/model/profiles.ts'
import { sleep } from '../../../../../sim/core/clock.ts'
import { newRunId } from '../../../../../sim/platform/run-dir.ts'
import type { RawEvent } from '../../../../../sim/core/events.ts'
import type { OrchestratorSpec } from '../../../../../sim/transports/nats/orchestrator/orchestrator.ts'
import { natsServerBin, skipWithoutNats } from '../../../nats-available.ts'
import { v15ControlPlane } from '../../../../helpers/control-plane-settings.ts'

// Timers at 1/100 of v1.5's: heartbeat 150 ms, check 200 ms, disconnect after 600 ms.
const timers = resolveTimers('v1.5', 0.01)
const subjects = PROFILES['v1.5'].heartbeat_subjects

const specFor =
  (dir: string, runId: string, token: string) =>
  (name: string, joined: boolean): OrchestratorSpec => ({
    name,
    runId,
    binary: natsServerBin() as string,
    dir,
    token,
    cluster: `test-${runId}`,
    controlPlane: v15ControlPlane(0.01),
    lameDuck: { durationMs: 30_000, graceMs: 1_000 },
    joined,
  })

const nodesApi = async (port: number) =>
  (
    (await (await fetch(`http://127.0.0.1:${port}/api/v1/orchestrator/nodes`)).json()) as {
      nodes: { id: string; membership: string; connection: string }[]
    }
  ).nodes

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return
    await sleep(20)
  }
  throw new Error(`timed out waiting for ${what}`)
}

t.test('a 3-orchestrator cluster: registration, heartbeat liveness, failover of one node', skipWithoutNats(), async (t) => {
  const runId = newRunId()
  const events: RawEvent[] = []
  const cluster = await OrchestratorCluster.start(3, specFor(t.testdir(), runId, 'tok-123'), (e) => events.push(e))
  t.teardown(() => cluster.dispose())
  t.equal(cluster.live().length, 3)

  const nodeEvents: RawEvent[] = []
  const [o0, o1, o2] = cluster.members as [(typeof cluster.members)[0], (typeof cluster.members)[0], (typeof cluster.members)[0]]
  const node = new ComputeNode(
    {
      transport: 'nats',
      id: 'n-1',
      group: 'g',
      orchestrators: `nats://${o0.clientHostPort}`,
      token: 'tok-123',
      timers,
      heartbeatSubjects: subjects,
      serverOrder: 'go',
      seed: 7,
    },
    (e) => nodeEvents.push(e),
  )
  t.teardown(() => node.stop())
  t.equal(await node.start(), true, 'registered')
  const kinds = nodeEvents.map((e) => e.kind)
  t.same(kinds.slice(0, 3), ['node.start', 'node.connected', 'node.pool'])
  t.ok(kinds.includes('node.registered'))
  const pool = nodeEvents.find((e) => e.kind === 'node.pool')?.data?.servers as string[]
  t.same(pool.sort(), cluster.members.map((o) => o.clientHostPort).sort(), 'given one seed, the pool holds all three (gossip)')

  for (const o of cluster.members) {
    // membership arrives through the bucket's watch, CONNECTED with the first heartbeat
    await waitFor(`${o.name} lists n-1 CONNECTED`, async () => (await nodesApi(o.httpPort))[0]?.connection === 'CONNECTED', 5_000).catch(
      () => undefined,
    )
    const list = await nodesApi(o.httpPort)
    t.same(
      list.map((n) => [n.id, n.membership, n.connection]),
      [['n-1', 'APPROVED', 'CONNECTED']],
      `${o.name} lists the node APPROVED and CONNECTED`,
    )
  }
  // Quiet mode reports no routine heartbeat of a registered node; verbose (as the harness sets
  // it when faults start) reports every one.
  cluster.setVerbose(true)
  await waitFor('heartbeats at every orchestrator', () =>
    cluster.members.every((o) => events.some((e) => e.kind === 'orch.heartbeat' && e.orch === o.name)),
  )

  // Failover: kill the node's server; it must move to a survivor and keep heartbeating.
  const before = nodeEvents.length
  await o0.kill()
  await waitFor('reconnect', () => nodeEvents.slice(before).some((e) => e.kind === 'node.reconnected'))
  const moved = nodeEvents.slice(before).find((e) => e.kind === 'node.reconnected')?.data?.server
  t.ok(moved === o1.clientHostPort || moved === o2.clientHostPort, `reconnected to a survivor (${moved})`)
  const afterKill = events.length
  await waitFor('a heartbeat at a survivor', () => events.slice(afterKill).some((e) => e.kind === 'orch.heartbeat' && e.orch !== 'orch-0'))

  // Liveness: a silent node is marked DISCONNECTED after the disconnect timeout.
  const stopAt = Date.now()
  await node.stop()
  await waitFor('DISCONNECTED at orch-1', async () => (await nodesApi(o1.httpPort))[0]?.connection === 'DISCONNECTED', 5_000)
  const took = Date.now() - stopAt
  const bound = (timers.disconnect_after as number) + (timers.check_period as number)
  t.ok(took >= (timers.disconnect_after as number) - (timers.heartbeat_interval as number) - 50, `not before the disconnect timeout (${took} ms)`)
  t.ok(took <= bound + 1_000, `within disconnect_after + check_period (+1 s tolerance): ${took} ms <= ${bound + 1_000}`)
})

t.test('a wrong token is refused at connect; nothing registers', skipWithoutNats(), async (t) => {
  const runId = newRunId()
  const events: RawEvent[] = []
  const cluster = await OrchestratorCluster.start(
    1,
    (n, j) => ({ ...specFor(t.testdir(), runId, 'right')(n, j), cluster: undefined as never }),
    (e) => events.push(e),
  )
  t.teardown(() => cluster.dispose())
  const nodeEvents: RawEvent[] = []
  const node = new ComputeNode(
    {
      transport: 'nats',
      id: 'bad-1',
      group: 'g',
      orchestrators: `nats://wrong@${cluster.members[0]?.clientHostPort}`,
      token: 'right',
      timers,
      heartbeatSubjects: subjects,
      serverOrder: 'go',
      seed: 1,
    },
    (e) => nodeEvents.push(e),
  )
  t.equal(await node.start(), false)
  const err = nodeEvents.find((e) => e.kind === 'node.error')
  t.equal(err?.data?.code, 'AUTHORIZATION_VIOLATION', 'the token in the URL wins over the configured one, and is refused')
  t.notOk(
    events.some((e) => e.kind === 'orch.register'),
    'no registration reached the orchestrator',
  )
})
