import t from 'tap'
import { gorefSpec, POOL_POLL_MS } from '../../../sim/fleet/goref-spec.ts'
import { resolveTimers } from '../../../sim/model/profiles.ts'
import type { NodeSpec } from '../../../sim/transports/nats/compute/node-spec.ts'

const node = (id: string, over: Partial<NodeSpec> = {}): NodeSpec => ({
  transport: 'nats',
  id,
  group: 'compute',
  orchestrators: 'nats://127.0.0.1:4222',
  token: 'tok',
  timers: resolveTimers('v1.5', 0.1),
  heartbeatSubjects: ['heartbeat', 'bacalhau.global.compute.{id}.out.heartbeat'],
  serverOrder: 'go',
  seed: 7,
  ...over,
})

t.test('the simulated fleet, translated for the reference client: nodes as given, options per group', async (t) => {
  const old = resolveTimers('v1.3.0', 0.1)
  // a token only in the URL (Bacalhau's token@host form)
  const { token: _none, ...urlOnly } = node('url-0001', { group: 'url', orchestrators: 'nats://t%40k@127.0.0.1:4222' })
  const s = gorefSpec(
    [
      node('compute-0000', { orchestrators: 'nats://127.0.0.1:4222, nats://127.0.0.1:4223' }),
      urlOnly,
      node('old-0002', { group: 'old', timers: old, heartbeatSubjects: [], expectRejected: true }),
    ],
    { seed: 42, concurrency: 100 },
  )
  t.same(s.nodes, [
    { id: 'compute-0000', group: 'compute', servers: ['nats://127.0.0.1:4222', 'nats://127.0.0.1:4223'], token: 'tok' },
    { id: 'url-0001', group: 'url', servers: ['nats://t%40k@127.0.0.1:4222'] },
    { id: 'old-0002', group: 'old', servers: ['nats://127.0.0.1:4222'], token: 'tok', expect: 'rejected' },
  ])
  t.same(s.groups.compute, {
    options: {
      reconnect_wait_ms: 200,
      reconnect_jitter_ms: 10,
      connect_timeout_ms: 2000,
      ping_interval_ms: 12000,
      max_pings_out: 2,
      max_reconnects: -1,
    },
    register_timeout_ms: 2000,
    heartbeat: { interval_ms: 1500, subjects: ['heartbeat', 'bacalhau.global.compute.{id}.out.heartbeat'] },
  })
  t.equal(s.groups.old?.options.max_reconnects, 60, 'v1.3.0 nodes give up after 60 attempts per server')
  t.notOk('heartbeat' in (s.groups.old ?? {}), 'v1.3.0 nodes send no heartbeats')
  t.match(s, { seed: 42, register: true, subscribe: true, concurrency: 100, pool_poll_ms: POOL_POLL_MS })
})

t.test('only NATS nodes', async (t) => {
  t.throws(() => gorefSpec([{ ...node('x'), transport: 'libp2p' } as never], { seed: 1, concurrency: 1 }), { code: 'E_UNSUPPORTED' })
})
