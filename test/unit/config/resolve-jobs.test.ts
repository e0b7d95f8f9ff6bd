import t from 'tap'
import { plan, fails } from './plan-helpers.ts'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import type { PlanStep } from '../../../sim/plan/run-plan.ts'
import type { WorkloadSpec as PlanJobs } from '../../../sim/jobs/workload.ts'
import type { JobsPlan } from '../../../sim/steps/jobs.ts'

const GROUP = 'groups:\n  - name: compute\n    count: 10\n'
const SCENARIOS = fileURLToPath(new URL('../../../scenarios', import.meta.url))

const jobsSteps = (timeline: PlanStep[]): PlanJobs[] => timeline.flatMap((s) => (s.kind === 'jobs' ? [(s as JobsPlan).jobs] : []))
const timeline = (...steps: string[]) => `${GROUP}timeline:\n${steps.map((s) => `  - ${s}\n`).join('')}`

t.test('a jobs step becomes a workload with every duration in ms', async (t) => {
  const p = plan(t, timeline('jobs: { rate: 20, duration: 1s, timeout: 2s }', 'mark: steady'))
  t.strictSame(p.timeline, [
    {
      kind: 'jobs',
      jobs: { rate: 20, runMs: 1000, forMs: null, group: null, via: 'all', timeoutMs: 2000, budgetMs: 7000, failureRate: 0 },
      text: 'jobs: 20/s of 1s on any node via every live orchestrator until the timeline ends',
    },
    { kind: 'mark', name: 'steady', text: 'mark steady' },
  ])
})

t.test('defaults: timeout 10s, budget duration + 3 × timeout; options carried over', async (t) => {
  t.strictSame(jobsSteps(plan(t, timeline('jobs: { rate: 2, duration: 500ms }')).timeline), [
    { rate: 2, runMs: 500, forMs: null, group: null, via: 'all', timeoutMs: 10_000, budgetMs: 30_500, failureRate: 0 },
  ])
  const all = plan(t, timeline('jobs: { rate: 5, duration: 1s, for: 30s, nodes: compute, via: orch-1, timeout: 1s, budget: 4s, failure_rate: 0.1 }'))
  t.strictSame(jobsSteps(all.timeline), [
    { rate: 5, runMs: 1000, forMs: 30_000, group: 'compute', via: 'orch-1', timeoutMs: 1000, budgetMs: 4000, failureRate: 0.1 },
  ])
  const timers = plan(t, timeline('jobs: { rate: 1, duration: heartbeat_interval, timeout: 2 * heartbeat_interval }'))
  t.strictSame(
    jobsSteps(timers.timeline).map((j) => [j.runMs, j.timeoutMs, j.budgetMs]),
    [[1500, 3000, 1500 + 9000]],
    'timer expressions, scaled (v1.5, time scale 0.1)',
  )
  t.strictSame(
    jobsSteps(plan(t, timeline('jobs: { rate: 1, duration: 1s, budget: 1s }')).timeline).map((j) => j.budgetMs),
    [1000],
    'a budget equal to the run is allowed',
  )
})

t.test('opt_in: dropped without jobs: true, kept with it', async (t) => {
  const scenario = timeline('mark: a', 'jobs: { rate: 20, duration: 1s, opt_in: true }', 'mark: b')
  const plain = plan(t, scenario)
  t.strictSame(
    plain.timeline.map((s) => s.kind),
    ['mark', 'mark'],
  )
  t.strictSame(
    plan(t, scenario, { jobs: false }).timeline.map((s) => s.kind),
    ['mark', 'mark'],
    'jobs: false as well',
  )
  const withJobs = plan(t, scenario, { jobs: true })
  t.strictSame(
    withJobs.timeline.map((s) => s.kind),
    ['mark', 'jobs', 'mark'],
  )
  t.equal(jobsSteps(withJobs.timeline)[0]?.rate, 20)
  const always = timeline('jobs: { rate: 3, duration: 1s }')
  t.strictSame(
    plan(t, always).timeline.map((s) => s.kind),
    ['jobs'],
    'a step that is not opt_in always runs',
  )
  t.strictSame(
    plan(t, always, { jobs: true }).timeline.map((s) => s.kind),
    ['jobs'],
    '...and with jobs: true',
  )
})

t.test('jobs: true on a scenario without a jobs step is a usage error', async (t) => {
  const e = fails(t, 'E_USAGE', () => plan(t, timeline('mark: a'), { jobs: true }))
  t.match(e?.message, /^--jobs: scenario \S*s\.yaml has no jobs step \(\S*s\.yaml\)$/)
  fails(t, 'E_USAGE', () => plan(t, GROUP, { jobs: true }))
})

t.test('unknown group in nodes: an error at the field', async (t) => {
  const e = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 1, duration: 1s, nodes: gpu }')))
  t.match(e?.message, /s\.yaml:\d+:\d+: timeline\[0\]\.jobs\.nodes: no group named "gpu" \(groups: compute, all\)/)
  const optIn = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 1, duration: 1s, nodes: gpu, opt_in: true }'), { jobs: true }))
  t.match(optIn?.message, /timeline\[0\]\.jobs\.nodes: no group named "gpu"/, 'opt-in steps too, when run')
})

t.test('a budget shorter than the run is an error at the field', async (t) => {
  const e = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 1, duration: 1s, budget: 500ms }')))
  t.match(
    e?.message,
    /s\.yaml:\d+:\d+: timeline\[0\]\.jobs\.budget: a budget of 500 ms is shorter than the run itself \(1000 ms\): every job would be lost/,
  )
})

t.test('bad jobs options in a scenario are reported at the step', async (t) => {
  const rate = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 0, duration: 1s }')))
  t.match(rate?.message, /s\.yaml:\d+:\d+: timeline\[0\]\.jobs\.rate: expected jobs per second > 0/)
  const share = fails(t, 'E_CONFIG', () => plan(t, timeline('mark: a', 'jobs: { rate: 1, duration: 1s, failure_rate: 2 }')))
  t.match(share?.message, /timeline\[1\]\.jobs\.failure_rate: expected a share from 0 to 1/)
  const key = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 1, duration: 1s, colour: red }')))
  t.match(key?.message, /timeline\[0\]\.jobs: Unrecognized key: "colour"/)
  const via = fails(t, 'E_CONFIG', () => plan(t, timeline('jobs: { rate: 1, duration: 1s, via: orch-5 }')))
  t.match(via?.message, /timeline\[0\]: orch-5 does not exist: the run has 3 orchestrator\(s\), orch-0\.\.orch-2/)
})

t.test('via busiest or random: resolved to an orchestrator or refused', async (t) => {
  // JobWorkload matches `via` by member name: a name no member has would lose every job, so
  // the schema takes only all or orch-N.
  for (const via of ['busiest', 'random']) {
    let resolved: string | undefined
    try {
      resolved = jobsSteps(plan(t, timeline(`jobs: { rate: 1, duration: 1s, via: ${via} }`)).timeline)[0]?.via
    } catch (e) {
      resolved = `refused: ${(e as Error).message}`
    }
    t.match(resolved, /^refused: .*expected all or an orchestrator name/, `via ${via}`)
  }
})

t.test('when_jobs assertions: kept only when the run has a jobs step', async (t) => {
  const assertions = [
    'assertions:',
    '  - { metric: job_latency_ms, stat: missing, equals: 0, when_jobs: true }',
    '  - { metric: connect_ms, stat: p99, max: 1s, when_jobs: false }',
    '  - { metric: reconnect_ms, stat: count, min: 0 }',
    '',
  ].join('\n')
  const metrics = (p: ReturnType<typeof resolvePlan>) => p.assertions.map((a) => a.metric)
  t.strictSame(metrics(plan(t, timeline('jobs: { rate: 1, duration: 1s }') + assertions)), ['job_latency_ms', 'reconnect_ms'], 'a jobs step')
  t.strictSame(metrics(plan(t, timeline('mark: a') + assertions)), ['connect_ms', 'reconnect_ms'], 'no jobs step')
  const optIn = timeline('jobs: { rate: 1, duration: 1s, opt_in: true }') + assertions
  t.strictSame(metrics(plan(t, optIn)), ['connect_ms', 'reconnect_ms'], 'an opt-in step left out')
  t.strictSame(metrics(plan(t, optIn, { jobs: true })), ['job_latency_ms', 'reconnect_ms'], 'an opt-in step with jobs: true')
})

t.test('failover.yaml: the plain timing run unless jobs: true', async (t) => {
  const opts = { scenario: 'failover', scenariosDir: SCENARIOS, configFile: null, seed: 1 }
  const plain = resolvePlan(opts)
  t.strictSame(jobsSteps(plain.timeline), [], 'no workload')
  t.notOk(
    plain.assertions.some((a) => a.metric.startsWith('job_')),
    'no job assertions',
  )
  const jobs = resolvePlan({ ...opts, jobs: true })
  t.strictSame(jobsSteps(jobs.timeline), [
    { rate: 20, runMs: 1000, forMs: null, group: null, via: 'all', timeoutMs: 2000, budgetMs: 7000, failureRate: 0 },
  ])
  t.strictSame(
    jobs.timeline.filter((s) => s.kind !== 'jobs'),
    plain.timeline,
    'the rest of the timeline unchanged',
  )
  t.ok(jobs.assertions.some((a) => a.metric === 'job_latency_before_ms'))
  t.ok(
    jobs.assertions.some((a) => a.metric === 'job_resume_ms'),
    'kill: job_resume_ms is checked',
  )
  const freeze = resolvePlan({ ...opts, jobs: true, fault: 'freeze' })
  t.notOk(
    freeze.assertions.some((a) => a.metric === 'job_resume_ms'),
    'freeze: not',
  )
})
