import t from 'tap'
import { join } from 'node:path'
import { capabilityProblems, planRequirements } from '../../../sim/config/requirements.ts'
import type { PlanFault, PlanStep } from '../../../sim/plan/run-plan.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { NetsimError } from '../../../sim/core/errors.ts'
import { TRANSPORTS } from '../../../sim/transports/index.ts'
import { backendTraits } from '../../../sim/backends/index.ts'
import { BACKEND_NAMES } from '../../../sim/plan/run-plan.ts'

const link = (type: string, extra: Partial<PlanFault> = {}): PlanFault => ({
  type,
  target: { group: 'edge', orchestrator: 'all' },
  direction: 'both',
  probability: 1,
  ...extra,
})
const step = (fault: PlanFault): PlanStep => ({ kind: 'fault', fault, text: '' }) as PlanStep
const others = { transports: Object.values(TRANSPORTS), backends: BACKEND_NAMES.map(backendTraits) }
const problems = (
  timeline: PlanStep[],
  transport: 'nats' | 'libp2p',
  backend: 'process' | 'netns' | 'docker',
  extra: { groups?: { token: string; expect: string; orchestrators?: string }[]; routeAuth?: boolean; resources?: (string | number)[][] } = {},
) =>
  capabilityProblems(
    { timeline, groups: extra.groups ?? [], routeAuth: extra.routeAuth ?? false, resources: extra.resources ?? [] },
    TRANSPORTS[transport],
    backendTraits(backend),
    { transport: `--network ${transport}`, backend: `--backend ${backend}` },
    others,
  )

t.test('what a plan needs: from its steps (through the registry), groups and settings', async (t) => {
  const needs = planRequirements({
    timeline: [
      step(link('latency', { latencyMs: 10 })),
      step({ ...link('kill'), target: 'busiest' }),
      step({ ...link('lame-duck'), target: 'orch-0' }),
    ],
    groups: [
      { token: 'wrong', expect: 'rejected' },
      { token: 'config', expect: 'accepted', orchestrators: 'nats://{orch-0}' },
    ],
    routeAuth: true,
  })
  t.strictSame(
    needs.map((n) => [n.path.join('.'), n.need.of, n.need.capability]),
    [
      ['timeline.0', 'backend', 'link:delay'],
      ['timeline.2', 'transport', 'lame-duck'],
      ['groups.0.token', 'transport', 'token-auth'],
      ['groups.0.expect', 'transport', 'token-auth'],
      ['groups.1.orchestrators', 'transport', 'orchestrator-templates'],
      ['orchestrators.route_auth', 'transport', 'routes'],
    ],
  )
})

t.test('netns: kernel cuts only (blackhole, reset, down, both ways, every connection)', async (t) => {
  for (const type of ['blackhole', 'reset', 'down']) t.strictSame(problems([step(link(type))], 'nats', 'netns'), [], type)
  t.strictSame(problems([step({ ...link('kill'), target: 'busiest' })], 'nats', 'netns'), [], 'process faults are signals: fine')
  t.match(
    problems([step(link('latency', { latencyMs: 50 }))], 'nats', 'netns')[0]?.message,
    /latency fault needs to delay .*netns backend \(--backend netns\) over nats \(--network nats\) cannot: .*netem.*; use --backend process for it/,
  )
  t.match(problems([step(link('bandwidth', { bytesPerSec: 1000 }))], 'nats', 'netns')[0]?.message, /bandwidth/)
  t.match(problems([step(link('blackhole', { direction: 'to_node' }))], 'nats', 'netns')[0]?.message, /direction to_node.*both ways/)
  t.match(problems([step(link('reset', { probability: 0.5 }))], 'nats', 'netns')[0]?.message, /probability 0\.5.*every connection/)
  t.match(
    problems([{ kind: 'rogue_orchestrator', windowMs: 1, text: '' } as PlanStep], 'nats', 'netns')[0]?.message,
    /no host in the run's namespaces/,
  )
})

t.test("docker: the netns backend's kernel cuts, and a spare host for the rogue orchestrator, and per-host resources", async (t) => {
  for (const type of ['blackhole', 'reset', 'down']) t.strictSame(problems([step(link(type))], 'nats', 'docker'), [], type)
  t.strictSame(
    problems([{ kind: 'rogue_orchestrator', windowMs: 1, text: '' } as PlanStep], 'nats', 'docker'),
    [],
    'the rogue server gets a container',
  )
  t.strictSame(problems([], 'nats', 'docker', { resources: [['orchestrators', 'resources']] }), [])
  t.match(
    problems([step(link('latency', { latencyMs: 50 }))], 'nats', 'docker')[0]?.message,
    /docker backend \(--backend docker\) over nats \(--network nats\) cannot: .*netem.*; use --backend process for it/,
  )
  t.match(problems([], 'libp2p', 'docker')[0]?.message, /libp2p hosts are not placed there \(--backend docker; use --backend process for it\)/)
  const r = problems([], 'nats', 'process', { resources: [['groups', 1, 'resources']] })
  t.strictSame(
    r.map((i) => i.path),
    [['groups', 1, 'resources']],
  )
  t.match(
    r[0]?.message,
    /per-host CPU and memory limits are cgroup limits of containers: the process backend .* cannot: .*; use --backend docker for it/,
  )
})

t.test('process: every link fault over NATS; no link layer over libp2p', async (t) => {
  const timeline = [step(link('latency', { latencyMs: 10 })), step(link('bandwidth', { bytesPerSec: 10, direction: 'to_node', probability: 0.5 }))]
  t.strictSame(problems(timeline, 'nats', 'process'), [])
  const p = problems([step(link('blackhole'))], 'libp2p', 'process')
  t.strictSame(
    p.map((i) => i.path),
    [['timeline', 0]],
  )
  t.match(p[0]?.message, /its link proxies speak NATS, and libp2p mode has no link layer/)
})

t.test('libp2p: no lame duck, routes, token auth, templates; the way out named', async (t) => {
  const timeline = [step({ ...link('lame-duck'), target: 'orch-0' }), { kind: 'restart', target: 'all', rotateToken: true, text: '' } as PlanStep]
  const p = problems(timeline, 'libp2p', 'process', { groups: [{ token: 'wrong', expect: 'rejected' }], routeAuth: true })
  t.strictSame(
    p.map((i) => i.path),
    [
      ['timeline', 0],
      ['timeline', 1],
      ['groups', 0, 'token'],
      ['groups', 0, 'expect'],
      ['orchestrators', 'route_auth'],
    ],
  )
  t.match(p[0]?.message, /lame duck is a nats-server feature, and libp2p mode \(--network libp2p\) has no lame-duck mode: use --network nats/)
  t.match(p[1]?.message, /no token to rotate/)
  t.strictSame(
    problems(timeline, 'nats', 'process', { groups: [{ token: 'wrong', expect: 'rejected' }], routeAuth: true }),
    [],
    'NATS can do all of it',
  )
})

t.test('a backend that refuses the transport says so, once', async (t) => {
  const p = problems([step(link('latency', { latencyMs: 5 }))], 'libp2p', 'netns')
  t.strictSame(
    p.map((i) => i.path),
    [['transport']],
  )
  t.match(p[0]?.message, /libp2p hosts are not placed there \(--backend netns; use --backend process for it\)/)
})

t.test('backend layers: defaults < harness config < scenario < flags; plan-time refusal', async (t) => {
  const d = t.testdir({
    'harness.yaml': 'backend: netns\n',
    's.yaml': 'groups:\n  - name: g\n    count: 1\n',
    'proc.yaml': 'backend: process\ngroups:\n  - name: g\n    count: 1\n',
    'lat.yaml': 'groups:\n  - name: g\n    count: 1\ntimeline:\n  - fault: latency\n    target: { group: g, orchestrator: all }\n    latency: 50ms\n',
  })
  const opts = { configFile: null, seed: 1 }
  t.equal(resolvePlan({ scenario: join(d, 's.yaml'), ...opts }).backend, 'process', 'default')
  t.equal(resolvePlan({ scenario: join(d, 's.yaml'), ...opts, configFile: join(d, 'harness.yaml') }).backend, 'netns', 'harness config')
  t.equal(resolvePlan({ scenario: join(d, 'proc.yaml'), ...opts, configFile: join(d, 'harness.yaml') }).backend, 'process', 'scenario over harness')
  t.equal(resolvePlan({ scenario: join(d, 'lat.yaml'), ...opts }).backend, 'process', 'latency is fine on process')
  try {
    resolvePlan({ scenario: join(d, 'lat.yaml'), ...opts, backend: 'netns' })
    t.fail('expected E_CONFIG')
  } catch (e) {
    t.ok(e instanceof NetsimError)
    t.equal((e as NetsimError).code, 'E_CONFIG')
    t.match((e as Error).message, /lat\.yaml:5:5: timeline\[0\]: a latency fault needs to delay .*--backend netns.*use --backend process for it/)
  }
  try {
    resolvePlan({ scenario: join(d, 's.yaml'), ...opts, backend: 'kvm' as never })
    t.fail('expected E_USAGE')
  } catch (e) {
    t.equal((e as NetsimError).code, 'E_USAGE')
    t.match((e as Error).message, /--backend/)
  }
})

t.test('membership_leader needs orchestrators that hold membership in a bucket: NATS, not libp2p', async (t) => {
  const leader = [step({ ...link('kill'), target: 'membership_leader' })]
  t.strictSame(problems(leader, 'nats', 'process'), [])
  t.match(problems(leader, 'libp2p', 'process'), [
    {
      path: ['timeline', 0],
      message:
        'target membership_leader is the orchestrator holding the membership bucket, and libp2p mode (--network libp2p) has no membership bucket (its orchestrators learn nodes from gossip): use --network nats',
    },
  ])
  const restart = { kind: 'restart', target: 'membership_leader', rotateToken: false, text: '' } as PlanStep
  t.match(problems([restart], 'libp2p', 'process'), [{ path: ['timeline', 0], message: /membership bucket/ }])
})

t.test('resources: planned in bytes and cores, refused off docker at the field, bad sizes named', async (t) => {
  const d = t.testdir({
    'r.yaml': 'orchestrators:\n  resources: { cpus: 0.25, memory: 256m }\ngroups:\n  - name: g\n    count: 1\n    resources: { memory: 1g }\n',
    'tiny.yaml': 'orchestrators:\n  resources: { memory: 1m }\ngroups:\n  - name: g\n    count: 1\n',
    'none.yaml': 'orchestrators:\n  resources: {}\ngroups:\n  - name: g\n    count: 1\n',
  })
  const opts = { configFile: null, seed: 1 }
  const plan = resolvePlan({ scenario: join(d, 'r.yaml'), ...opts, backend: 'docker' })
  t.same(plan.orchestrators.resources, { cpus: 0.25, memoryBytes: 256 * 1024 ** 2 })
  t.same(plan.groups[0]?.resources, { memoryBytes: 1024 ** 3 })
  const refused = (file: string, backend?: 'process' | 'docker') => {
    try {
      resolvePlan({ scenario: join(d, file), ...opts, ...(backend ? { backend } : {}) })
      return ''
    } catch (e) {
      t.equal((e as NetsimError).code, 'E_CONFIG')
      return (e as Error).message
    }
  }
  t.match(refused('r.yaml'), /r\.yaml:2:14: orchestrators\.resources: per-host CPU and memory limits .*use --backend docker for it/)
  t.match(refused('tiny.yaml', 'docker'), /orchestrators\.resources\.memory: 1m is below Docker's minimum of 6m/)
  t.match(refused('none.yaml', 'docker'), /give cpus, memory or both/)
})
