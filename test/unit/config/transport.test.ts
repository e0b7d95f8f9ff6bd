import t from 'tap'
import { join } from 'node:path'
import { NetsimError } from '../../../sim/core/errors.ts'
import { resolvePlan, resolvePlans, type RunOptions } from '../../../sim/config/resolve.ts'
import { resolveLibp2pTimers } from '../../../sim/model/libp2p-timers.ts'

type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const GROUP = 'groups:\n  - name: compute\n    count: 10\n'

const plan = (t: TapTest, scenario: string, opts: Partial<RunOptions> = {}, harness?: string) => {
  const d = t.testdir({ 's.yaml': scenario, ...(harness === undefined ? {} : { 'h.yaml': harness }) })
  // libp2p exists in v1.3.x only: a libp2p plan under a later profile is refused (tested below)
  return resolvePlan({
    scenario: join(d, 's.yaml'),
    configFile: harness === undefined ? null : join(d, 'h.yaml'),
    seed: 1,
    profile: 'v1.3.1',
    ...opts,
  })
}

const configError = (t: TapTest, fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    t.ok(e instanceof NetsimError && e.code === 'E_CONFIG', `E_CONFIG (${(e as Error).message})`)
    return (e as Error).message
  }
  t.fail('expected E_CONFIG')
  return ''
}

t.test('transport: default nats; scenario, harness config and --network layer as every setting', async (t) => {
  const p = plan(t, GROUP)
  t.equal(p.transport, 'nats')
  t.strictSame(p.transports, ['nats'])
  t.strictSame(p.libp2pTimers, resolveLibp2pTimers(0.1), 'libp2p timers follow the time scale')
  t.equal(p.libp2pTimers.info_eager_interval, 500)
  t.equal(plan(t, `transport: libp2p\n${GROUP}`).transport, 'libp2p', 'scenario')
  t.equal(plan(t, GROUP, {}, 'transport: libp2p\n').transport, 'libp2p', 'harness config')
  t.equal(plan(t, `transport: libp2p\n${GROUP}`, { transport: 'nats' }).transport, 'nats', 'the flag wins')
  t.equal(plan(t, `transport: libp2p\ntime_scale: 0.01\n${GROUP}`).libp2pTimers.redial_interval, 100)
  t.match(
    configError(t, () => plan(t, `transport: quic\n${GROUP}`)),
    /s\.yaml:1:12: transport: Invalid option/,
  )
})

t.test('transports: one plan per transport, sharing the seed; --network picks one', async (t) => {
  const s = `transports: [nats, libp2p]\n${GROUP}`
  const d = t.testdir({ 's.yaml': s })
  const opts: RunOptions = { scenario: join(d, 's.yaml'), configFile: null, profile: 'v1.3.1' }
  const first = resolvePlan(opts)
  t.equal(first.transport, 'nats', 'the first listed')
  t.strictSame(first.transports, ['nats', 'libp2p'])
  const plans = resolvePlans(opts)
  t.strictSame(
    plans.map((p) => p.transport),
    ['nats', 'libp2p'],
  )
  t.equal(plans[0]?.seed, plans[1]?.seed, 'one seed for both')
  t.strictSame(
    plans.map((p) => p.transports),
    [
      ['nats', 'libp2p'],
      ['nats', 'libp2p'],
    ],
  )
  const one = resolvePlans({ ...opts, transport: 'libp2p' })
  t.strictSame(
    one.map((p) => p.transport),
    ['libp2p'],
    '--network runs only that one',
  )
  t.strictSame(resolvePlans({ scenario: join(t.testdir({ 'x.yaml': GROUP }), 'x.yaml'), configFile: null }).length, 1)
  t.match(
    configError(t, () => plan(t, `transport: nats\n${s}`)),
    /transports: set transport \(one\) or transports \(several to compare\), not both/,
  )
  t.match(
    configError(t, () => plan(t, `transports: [nats, nats]\n${GROUP}`)),
    /transports: each transport once/,
  )
  t.match(
    configError(t, () => plan(t, `transports: [libp2p]\n${GROUP}`)),
    /transports: list at least two/,
  )
})

t.test('groups: dialable (default true) and gossip_subscribe (default false)', async (t) => {
  const p = plan(t, 'groups:\n  - name: a\n    count: 1\n  - name: b\n    count: 1\n    dialable: false\n    gossip_subscribe: true\n')
  t.strictSame(
    p.groups.map((g) => [g.name, g.dialable, g.gossipSubscribe]),
    [
      ['a', true, false],
      ['b', false, true],
    ],
  )
})

t.test('when_transport filters assertions; NATS-only metrics are not asserted in libp2p mode', async (t) => {
  const s = [
    GROUP + 'assertions:',
    '  - { metric: bid_ms, stat: missing, equals: 0, when_transport: [nats] }',
    '  - { metric: bid_ms, stat: missing, min: 1, when_transport: [libp2p] }',
    '  - { metric: register_ms, stat: p99, max: 10s }',
    '  - { metric: connect_ms, stat: missing, equals: 0 }',
    '',
  ].join('\n')
  t.strictSame(
    plan(t, s).assertions.map((a) => a.text),
    ['all.bid_ms.missing == 0', 'all.register_ms.p99 <= 10s', 'all.connect_ms.missing == 0'],
  )
  t.strictSame(
    plan(t, s, { transport: 'libp2p' }).assertions.map((a) => a.text),
    ['all.bid_ms.missing >= 1', 'all.connect_ms.missing == 0'],
  )
  t.match(
    configError(t, () => plan(t, `${GROUP}assertions:\n  - { metric: bid_ms, stat: count, min: 1, when_transport: [tcp] }\n`)),
    /assertions\[0\]\.when_transport\[0\]: Invalid option/,
  )
})

t.test('ask_for_bid and on_timeout resolve', async (t) => {
  const p = plan(
    t,
    `${GROUP}timeline:\n  - ask_for_bid: { timeout: 2 * reconnect_wait }\n  - ask_for_bid: { timeout: 1s, from: orch-2, metric: bid_after_loss_ms }\n  - wait_for: recovered\n    timeout: 1s\n    on_timeout: note\n`,
  )
  t.strictSame(p.timeline, [
    {
      kind: 'ask_for_bid',
      timeoutMs: 400,
      from: 'all',
      metric: 'bid_ms',
      text: 'ask_for_bid from every live orchestrator (timeout 2 * reconnect_wait) as bid_ms',
    },
    {
      kind: 'ask_for_bid',
      timeoutMs: 1000,
      from: 'orch-2',
      metric: 'bid_after_loss_ms',
      text: 'ask_for_bid from orch-2 (timeout 1s) as bid_after_loss_ms',
    },
    { kind: 'wait_for', condition: 'recovered', timeoutMs: 1000, text: 'wait_for recovered (timeout 1s, a timeout is noted)', onTimeout: 'note' },
  ])
  t.match(
    configError(t, () => plan(t, `${GROUP}timeline:\n  - ask_for_bid: { timeout: 1s, from: orch-7 }\n`)),
    /s\.yaml:5:5: timeline\[0\]: orch-7 does not exist/,
  )
  t.match(
    configError(t, () => plan(t, `${GROUP}timeline:\n  - ask_for_bid: { timeout: 1s, metric: bids }\n`)),
    /timeline\[0\]\.ask_for_bid\.metric: expected a metric name ending in _ms/,
  )
  t.match(
    configError(t, () => plan(t, `${GROUP}timeline:\n  - ask_for_bid: {}\n`)),
    /timeline\[0\]\.ask_for_bid\.timeout/,
  )
  t.match(
    configError(t, () => plan(t, `${GROUP}timeline:\n  - wait_for: recovered\n    timeout: 1s\n    on_timeout: ignore\n`)),
    /timeline\[0\]\.on_timeout: Invalid option/,
  )
})

t.test('libp2p refuses, at plan time, what it cannot do', async (t) => {
  const link = `transport: libp2p\n${GROUP}timeline:\n  - fault: blackhole\n    target: { group: compute }\n`
  t.match(
    configError(t, () => plan(t, link)),
    /s\.yaml:6:5: timeline\[0\]: a blackhole fault needs to swallow a link's traffic silently: the process backend \(backend process\) over libp2p \(transport libp2p\) cannot: its link proxies speak NATS, and libp2p mode has no link layer/,
  )
  t.match(
    configError(t, () => plan(t, link.replace('transport: libp2p\n', ''), { transport: 'libp2p' })),
    /over libp2p \(--network libp2p\) cannot: .* has no link layer/,
    'names the flag when the flag chose it',
  )
  t.doesNotThrow(() => plan(t, link.replace('transport: libp2p\n', '')), 'NATS can')
  const ld = `${GROUP}timeline:\n  - fault: default\n    target: busiest\n`
  t.match(
    configError(t, () => plan(t, ld, { transport: 'libp2p', fault: 'lame-duck' })),
    /lame duck is a nats-server feature/,
  )
  t.equal(plan(t, ld, { transport: 'libp2p', fault: 'freeze' }).timeline[0]?.kind, 'fault', 'freeze is a process fault: fine')
  t.match(
    configError(t, () => plan(t, `transport: libp2p\n${GROUP}timeline:\n  - rogue_orchestrator: { window: 1s }\n`)),
    /rogue orchestrator joins a NATS cluster/,
  )
  t.match(
    configError(t, () => plan(t, `transport: libp2p\n${GROUP}timeline:\n  - restart: orch-0\n    rotate_token: true\n`)),
    /no token to rotate/,
  )
  t.match(
    configError(t, () => plan(t, 'transport: libp2p\ngroups:\n  - name: g\n    count: 1\n    token: wrong\n    expect: rejected\n')),
    /groups\[0\]\.token: .*no token auth[\s\S]*groups\[0\]\.expect: /,
  )
  t.match(
    configError(t, () => plan(t, 'transport: libp2p\ngroups:\n  - name: g\n    count: 1\n    orchestrators: "nats://{orch-0}"\n')),
    /groups\[0\]\.orchestrators: a NATS --orchestrators template/,
  )
  t.match(
    configError(t, () => plan(t, `transport: libp2p\n${GROUP}`, { routeAuth: true })),
    /route authentication/,
  )
  t.doesNotThrow(
    () =>
      plan(
        t,
        `transport: libp2p\n${GROUP}timeline:\n  - fault: kill\n    target: busiest\n  - restart: orch-0\n  - scale: { orchestrators: 4 }\n  - ask_for_bid: { timeout: 1s }\n`,
      ),
    'process faults, restarts, scale and bids are fine',
  )
})

t.test('libp2p only under the versions that had it: v1.4+ is refused with the version and the way out', async (t) => {
  const usage = (fn: () => unknown): string => {
    try {
      fn()
    } catch (e) {
      t.ok(e instanceof NetsimError && e.code === 'E_USAGE', `E_USAGE (${(e as Error).message})`)
      return (e as Error).message
    }
    t.fail('expected E_USAGE')
    return ''
  }
  // chosen by flag: a usage error naming the flag, the profile and the ways out
  t.match(
    usage(() => plan(t, GROUP, { transport: 'libp2p', profile: 'v1.5' })),
    /libp2p transport \(--network libp2p\) exists in v1\.3\.0–v1\.3\.2 only \(removed in v1\.4\.0\), and this run's profile is v1\.5: use a profile of v1\.3\.0 or v1\.3\.1, or set libp2p_any_profile: true/,
  )
  // chosen in the file: at its line
  t.match(
    configError(t, () => plan(t, `profile: v1.4\ntransport: libp2p\n${GROUP}`, { profile: undefined as never })),
    /s\.yaml:2:12: transport: .*this run's profile is v1\.4/,
  )
  // a group of a later version under a v1.3 run
  t.match(
    configError(t, () => plan(t, `transport: libp2p\ngroups:\n  - name: new\n    count: 1\n    profile: v1.4\n`, {})),
    /s\.yaml:5:14: groups\[0\]\.profile: .*group new's profile is v1\.4/,
  )
  t.equal(plan(t, `transport: libp2p\nlibp2p_any_profile: true\n${GROUP}`, { profile: 'v1.5' }).transport, 'libp2p', 'unless asked for')
  t.equal(plan(t, `transport: libp2p\n${GROUP}`, { profile: 'v1.3.0' }).profile, 'v1.3.0')
  t.equal(plan(t, GROUP, { profile: 'v1.5' }).transport, 'nats', 'NATS under any profile')
})
