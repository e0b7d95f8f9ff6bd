import t from 'tap'
import { ev } from '../../helpers/events.ts'
import type { EventKind, SimEvent } from '../../../sim/core/events.ts'
import { LiveState } from '../../../sim/core/live-state.ts'
import { evaluate } from '../../../sim/steps/conditions.ts'
import { buildLibp2pNodeSpecs } from '../../../sim/transports/libp2p/node-specs.ts'
import { createRng } from '../../../sim/core/rng.ts'
import { resolveLibp2pTimers } from '../../../sim/model/libp2p-timers.ts'
import type { RunPlan, PlanGroup } from '../../../sim/plan/run-plan.ts'
import { parseStep, describeStep, STEP_KEYWORDS } from '../../../sim/steps/index.ts'

const A = '/ip4/127.0.0.1/tcp/1/p2p/A'
const B = '/ip4/127.0.0.1/tcp/2/p2p/B'
const HB = { heartbeats: () => true }
const state = (events: SimEvent[]): LiveState => {
  const s = new LiveState()
  for (const e of events) s.apply(e)
  return s
}

t.test('a libp2p node: started when its pool is reported, discovered through gossip, no pool to grow', async (t) => {
  const base = [
    ev(0, 'orch.ready', { orch: 'orch-0' }, { client: A, joined: false }),
    ev(0, 'orch.ready', { orch: 'orch-1' }, { client: B, joined: false }),
    ev(1, 'node.start', { node: 'n' }, { group: 'g', transport: 'libp2p' }),
    ev(2, 'node.connected', { node: 'n' }, { server: A }),
  ]
  let s = state(base)
  t.equal(s.nodes.get('n')?.conn.transport, 'libp2p')
  t.strictSame([evaluate('registered', s, HB).pending, evaluate('discovered', s, HB).examples], [1, ['n: not started']])
  s = state([...base, ev(3, 'node.pool', { node: 'n' }, { servers: [A] })])
  t.equal(s.nodes.get('n')?.registered, true)
  t.equal(evaluate('registered', s, HB).pending, 0)
  t.equal(evaluate('pool_complete', s, HB).pending, 0, 'orch-1 not in its pool: fine, nothing grows it')
  t.strictSame(evaluate('discovered', s, HB).examples, ['n: not CONNECTED at orch-0, not CONNECTED at orch-1'], 'no pool complaint')
  s = state([
    ...base,
    ev(3, 'node.pool', { node: 'n' }, { servers: [A] }),
    ev(4, 'orch.node_state', { orch: 'orch-0', node: 'n' }, { state: 'CONNECTED' }),
    ev(5, 'orch.node_state', { orch: 'orch-1', node: 'n' }, { state: 'CONNECTED' }),
  ])
  t.equal(evaluate('discovered', s, HB).pending, 0)
  t.equal(s.busiest(), 'orch-0', 'busiest counts it on its first peer')

  // Given both orchestrators, it loses B: still attached to A.
  const two = state([...base, ev(3, 'node.disconnected', { node: 'n' }, { server: B })])
  t.equal(two.nodes.get('n')?.conn.server, A, 'a libp2p node losing a peer it is not attached to stays attached')
  t.equal(state([...base, ev(3, 'node.disconnected', { node: 'n' }, { server: A })]).nodes.get('n')?.conn.server, null)
  // A NATS node keeps the old behaviour.
  const nats = state([
    ev(1, 'node.start', { node: 'm' }, { group: 'g' }),
    ev(2, 'node.connected', { node: 'm' }, { server: 'h:1' }),
    ev(3, 'node.disconnected', { node: 'm' }, { server: 'h:2' }),
  ])
  t.equal(nats.nodes.get('m')?.conn.transport, 'nats')
  t.equal(nats.nodes.get('m')?.conn.server, null)
})

t.test('libp2p node specs: ids, peers by seeds, dialable per group, publish only by default', async (t) => {
  const timers = resolveLibp2pTimers(0.1)
  const group = (name: string, count: number, extra: Partial<PlanGroup>): PlanGroup =>
    ({ name, count, seeds: 'spread', token: 'config', expect: 'accepted', dialable: true, gossipSubscribe: false, ...extra }) as PlanGroup
  const plan = {
    libp2pTimers: timers,
    groups: [
      group('open', 3, {}),
      group('nat', 2, { dialable: false, seeds: 'all' }),
      group('pair', 1, { seeds: ['orch-1'], gossipSubscribe: true }),
    ],
  } as unknown as RunPlan
  const orchs = [
    { name: 'orch-0', client: A },
    { name: 'orch-1', client: B },
  ]
  const specs = buildLibp2pNodeSpecs(plan, orchs, createRng(1))
  t.strictSame(
    specs.map((s) => [s.id, s.group, s.peers, s.dialable, s.subscribe]),
    [
      ['open-0', 'open', [A], true, false],
      ['open-1', 'open', [B], true, false],
      ['open-2', 'open', [A], true, false],
      ['nat-0', 'nat', [A, B], false, false],
      ['nat-1', 'nat', [A, B], false, false],
      ['pair-0', 'pair', [B], true, true],
    ],
  )
  t.ok(specs.every((s) => s.transport === 'libp2p' && s.timers === timers))
  t.strictSame(
    buildLibp2pNodeSpecs(plan, orchs, createRng(1)).map((s) => s.seed),
    specs.map((s) => s.seed),
    'seeds are deterministic',
  )
})

t.test('the ask_for_bid step parses; wait_for takes on_timeout', async (t) => {
  t.ok(STEP_KEYWORDS.includes('ask_for_bid'))
  t.strictSame(parseStep({ ask_for_bid: { timeout: '2s' } }), {
    ok: true,
    step: { kind: 'ask_for_bid', timeout: '2s', from: 'all', metric: 'bid_ms' },
  })
  t.strictSame(parseStep({ ask_for_bid: { timeout: 500, from: 'busiest', metric: 'late_ms' } }), {
    ok: true,
    step: { kind: 'ask_for_bid', timeout: 500, from: 'busiest', metric: 'late_ms' },
  })
  const bad = parseStep({ ask_for_bid: { timeout: '1s', from: 'everyone' } })
  t.equal(bad.ok, false)
  t.strictSame(parseStep({ wait_for: 'recovered', timeout: '1s', on_timeout: 'note' }), {
    ok: true,
    step: { kind: 'wait_for', condition: 'recovered', timeout: '1s', onTimeout: 'note' },
  })
  t.strictSame(
    parseStep({ wait_for: 'recovered', timeout: '1s', on_timeout: 'fail' }),
    { ok: true, step: { kind: 'wait_for', condition: 'recovered', timeout: '1s' } },
    'the default is not spelled out',
  )
  t.equal(describeStep({ kind: 'ask_for_bid', timeout: '2s', from: 'orch-1', metric: 'bid_ms' }), 'ask_for_bid from orch-1 (timeout 2s) as bid_ms')
})
