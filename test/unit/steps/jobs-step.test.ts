import t from 'tap'
import { ok, issues } from './parse-step.ts'
import { STEP_KEYWORDS, describeStep } from '../../../sim/steps/index.ts'

t.test('jobs is a step keyword', async (t) => {
  t.ok(STEP_KEYWORDS.includes('jobs'))
})

t.test('the jobs step with its defaults', async (t) => {
  t.strictSame(ok({ jobs: { rate: 20, duration: '1s' } }), {
    kind: 'jobs',
    jobs: { rate: 20, duration: '1s', nodes: 'all', via: 'all', timeout: '10s', failure_rate: 0, opt_in: false },
  })
  const step = ok({ jobs: { rate: 20, duration: '1s' } })
  t.notOk('for' in (step as unknown as { jobs: object }).jobs, 'no for: until the timeline ends')
  t.notOk('budget' in (step as unknown as { jobs: object }).jobs, 'no budget: derived when the plan is resolved')
})

t.test('the jobs step with every option', async (t) => {
  t.strictSame(
    ok({
      jobs: {
        rate: 0.5,
        duration: 'heartbeat_interval',
        for: '30s',
        nodes: 'gpu',
        via: 'orch-1',
        timeout: '2s',
        budget: '1m',
        failure_rate: 0.25,
        opt_in: true,
      },
    }),
    {
      kind: 'jobs',
      jobs: {
        rate: 0.5,
        duration: 'heartbeat_interval',
        for: '30s',
        nodes: 'gpu',
        via: 'orch-1',
        timeout: '2s',
        budget: '1m',
        failure_rate: 0.25,
        opt_in: true,
      },
    },
  )
  t.strictSame(
    ok({ jobs: { rate: 10_000, duration: 500, failure_rate: 1 } }),
    { kind: 'jobs', jobs: { rate: 10_000, duration: 500, nodes: 'all', via: 'all', timeout: '10s', failure_rate: 1, opt_in: false } },
    'the bounds are allowed',
  )
})

t.test('bad jobs steps are refused with a path', async (t) => {
  t.strictSame(issues({ jobs: { rate: 0, duration: '1s' } }), [{ path: ['jobs', 'rate'], message: 'expected jobs per second > 0' }])
  t.strictSame(issues({ jobs: { rate: -1, duration: '1s' } }), [{ path: ['jobs', 'rate'], message: 'expected jobs per second > 0' }])
  t.strictSame(issues({ jobs: { rate: 10_001, duration: '1s' } }), [{ path: ['jobs', 'rate'], message: 'expected at most 10000 jobs per second' }])
  t.strictSame(issues({ jobs: { rate: 1, duration: '1s', failure_rate: 2 } }), [
    { path: ['jobs', 'failure_rate'], message: 'expected a share from 0 to 1' },
  ])
  t.strictSame(issues({ jobs: { rate: 1, duration: '1s', failure_rate: -0.1 } }), [
    { path: ['jobs', 'failure_rate'], message: 'expected a share from 0 to 1' },
  ])
  t.strictSame(issues({ jobs: { rate: 1, duration: '1s', colour: 'red' } }), [{ path: ['jobs'], message: 'Unrecognized key: "colour"' }])
  t.strictSame(
    issues({ jobs: { rate: 1, duration: '1s' }, colour: 'red' }),
    [{ path: [], message: 'Unrecognized key: "colour"' }],
    'beside the step keyword too',
  )
  t.strictSame(issues({ jobs: { rate: 1, duration: '1s', via: 'leader' } }), [
    { path: ['jobs', 'via'], message: 'expected all or an orchestrator name (orch-0, orch-1, ...)' },
  ])
  t.strictSame(
    issues({ jobs: { rate: 1, duration: '1s', nodes: '' } }).map((i) => i.path),
    [['jobs', 'nodes']],
  )
  t.strictSame(
    issues({ jobs: { rate: 1, duration: '1s', opt_in: 'yes' } }).map((i) => i.path),
    [['jobs', 'opt_in']],
  )
  t.strictSame(
    issues({ jobs: { rate: 1 } }).map((i) => i.path),
    [['jobs', 'duration']],
    'duration is required',
  )
  t.strictSame(
    issues({ jobs: { duration: '1s' } }).map((i) => i.path),
    [['jobs', 'rate']],
    'rate is required',
  )
  const timer = issues({ jobs: { rate: 1, duration: '1s', timeout: 'soon' } })
  t.strictSame(
    timer.map((i) => i.path),
    [['jobs', 'timeout']],
  )
  t.match(timer[0]?.message, /unknown timer "soon"/)
  t.strictSame(
    issues({ jobs: null }).map((i) => i.path),
    [['jobs']],
  )
  t.strictSame(
    issues({ jobs: 5 }).map((i) => i.path),
    [['jobs']],
  )
  t.strictSame(
    issues({ jobs: { rate: 1, duration: '1s' }, wait: '1s' }),
    [{ path: [], message: 'one step per list item, found jobs and wait' }],
    'in the order written',
  )
})

t.test('describeStep: jobs', async (t) => {
  t.equal(
    describeStep(ok({ jobs: { rate: 20, duration: '1s' } })),
    'jobs: 20/s of 1s on any node via every live orchestrator until the timeline ends',
  )
  t.equal(
    describeStep(ok({ jobs: { rate: 5, duration: '500ms', nodes: 'gpu', via: 'orch-1', for: '30s' } })),
    'jobs: 5/s of 500ms on group gpu via orch-1 for 30s',
  )
})
