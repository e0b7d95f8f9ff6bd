import t from 'tap'
import { join } from 'node:path'
import { backendProblems, netnsFaultProblem } from '../../../sim/config/check-backend.ts'
import type { PlanFault, PlanStep } from '../../../sim/config/run-plan.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { NetsimError } from '../../../sim/core/errors.ts'

const link = (type: PlanFault['type'], extra: Partial<PlanFault> = {}): PlanFault => ({
  type,
  target: { group: 'edge', orchestrator: 'all' },
  direction: 'both',
  probability: 1,
  ...extra,
})
const step = (fault: PlanFault): PlanStep => ({ kind: 'fault', fault, text: '' })

t.test('netns: kernel cuts only (blackhole, reset, down, both ways, every connection)', async (t) => {
  for (const type of ['blackhole', 'reset', 'down'] as const) t.equal(netnsFaultProblem(link(type)), null, type)
  t.equal(netnsFaultProblem(link('kill', { target: 'busiest' })), null, 'process faults are signals: fine')
  t.match(netnsFaultProblem(link('latency', { latencyMs: 50 })), /latency fault needs netem/)
  t.match(netnsFaultProblem(link('bandwidth', { bytesPerSec: 1000 })), /bandwidth/)
  t.match(netnsFaultProblem(link('blackhole', { direction: 'to_node' })), /both ways/)
  t.match(netnsFaultProblem(link('reset', { probability: 0.5 })), /every connection/)
})

t.test('backendProblems: positions, the way out, nothing for process', async (t) => {
  const timeline: PlanStep[] = [
    { kind: 'mark', name: 'x', text: '' },
    step(link('latency', { latencyMs: 10 })),
    { kind: 'chaos', schedule: [{ atMs: 0, fault: { ...link('bandwidth', { bytesPerSec: 10 }), durationMs: 1 } }], recoverWithinMs: 1, text: '' },
    { kind: 'rogue_orchestrator', windowMs: 1, text: '' },
  ]
  t.same(backendProblems('process', { timeline, transport: 'libp2p', via: 'x' }), [])
  const issues = backendProblems('netns', { timeline, transport: 'libp2p', via: '--backend netns' })
  t.same(
    issues.map((i) => i.path),
    [['transport'], ['timeline', 1], ['timeline', 2], ['timeline', 3]],
  )
  for (const i of issues) t.match(i.message, /--backend netns; use --backend process/)
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
  t.equal(resolvePlan({ scenario: join(d, 'proc.yaml'), ...opts, backend: 'docker' }).backend, 'docker', 'flag over scenario')
  t.equal(resolvePlan({ scenario: join(d, 'lat.yaml'), ...opts }).backend, 'process', 'latency is fine on process')
  try {
    resolvePlan({ scenario: join(d, 'lat.yaml'), ...opts, backend: 'netns' })
    t.fail('expected E_CONFIG')
  } catch (e) {
    t.ok(e instanceof NetsimError)
    t.equal((e as NetsimError).code, 'E_CONFIG')
    t.match((e as Error).message, /lat\.yaml:5:5: timeline\[0\]: a latency fault needs netem .*\(--backend netns; use --backend process for it\)/)
  }
  try {
    resolvePlan({ scenario: join(d, 's.yaml'), ...opts, backend: 'kvm' as never })
    t.fail('expected E_USAGE')
  } catch (e) {
    t.equal((e as NetsimError).code, 'E_USAGE')
    t.match((e as Error).message, /--backend/)
  }
})
