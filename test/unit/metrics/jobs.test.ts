import t from 'tap'
import { jobCounts, jobMetrics, jobRecords, type JobRecord } from '../../../sim/metrics/jobs.ts'
import { faultWindows as windowsOf } from '../../../sim/metrics/fault-windows.ts'

const faultWindows = (events: SimEvent[]) => windowsOf(events).map(({ id, start, end }) => ({ id, start, end }))
import { deriveMetrics } from '../../../sim/metrics/index.ts'
import { JOBS_COLUMNS, jobsCsv } from '../../../sim/report/format/csv.ts'
import type { MetricValue } from '../../../sim/metrics/metric-value.ts'
import type { SimEvent } from '../../../sim/core/events.ts'
import { ev, ready } from './fixtures.ts'

const start = (t: number, node: string, group: string) => ev(t, 'node.start', { node, data: { group } })
const submit = (t: number, job: string, orch: string | undefined, budget = 1000, group = 'all') =>
  ev(t, 'job.submit', { ...(orch === undefined ? {} : { orch }), data: { job, group, budget_ms: budget, run_ms: 10, fail: false } })
const bid = (t: number, job: string, orch: string, node: string) => ev(t, 'job.bid', { orch, node, data: { job } })
const complete = (t: number, job: string, orch: string, node: string) => ev(t, 'job.complete', { orch, node, data: { job } })
const failed = (t: number, job: string, orch: string, node: string | undefined, reason: string) =>
  ev(t, 'job.failed', { orch, ...(node === undefined ? {} : { node }), data: { job, reason, code: reason.toUpperCase(), stage: 'x' } })
const done = (t: number, job: string, node: string, orch: string) =>
  ev(t, 'node.job_done', { node, data: { job, orchestrator: orch, ok: true, sent: true } })
const down = (t: number, orch: string) => ev(t, 'orch.down', { orch, data: { reason: 'kill' } })
const apply = (t: number, id: string, orch?: string) =>
  ev(t, 'fault.apply', { ...(orch === undefined ? {} : { orch }), data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id } })
const heal = (t: number, id: string, orch?: string) => ev(t, 'fault.heal', { ...(orch === undefined ? {} : { orch }), data: { type: 'kill', id } })

/** A run without faults: one job of each outcome and reason. */
const plain: SimEvent[] = [
  start(0, 'n-1', 'g1'),
  start(0, 'n-2', 'g2'),
  ready(1, 'orch-0', 'h:1'),
  ready(1, 'orch-1', 'h:2'),
  complete(60, 'j1', 'orch-0', 'n-1'), // recorded out of order: a later batch
  submit(10, 'j1', 'orch-0'),
  bid(15, 'j1', 'orch-0', 'n-1'),
  done(55, 'j1', 'n-1', 'orch-0'),
  submit(20, 'j2', 'orch-1'),
  failed(30, 'j2', 'orch-1', 'n-2', 'no_responders'),
  complete(35, 'j2', 'orch-1', 'n-2'), // a second outcome: the first one counts
  submit(25, 'j3', 'orch-0'),
  failed(26, 'j3', 'orch-0', undefined, 'no_nodes'),
  submit(27, 'j3b', 'orch-0', 1000, 'g3'),
  failed(28, 'j3b', 'orch-0', undefined, 'no_nodes'),
  submit(100, 'j4', 'orch-1'),
  bid(110, 'j4', 'orch-1', 'n-1'),
  done(140, 'j4', 'n-1', 'orch-1'),
  down(150, 'orch-1'), // j4's creator dies: its OnRunComplete goes nowhere
  submit(120, 'j5', undefined), // nobody was up to take it
  submit(200, 'j6', 'orch-0', 100),
  bid(210, 'j6', 'orch-0', 'n-2'),
  complete(400, 'j6', 'orch-0', 'n-2'), // after its budget
  submit(300, 'j7', 'orch-0'),
  down(400, 'orch-2'), // before j8 was submitted
  submit(500, 'j8', 'orch-2', 100),
  down(700, 'orch-2'), // after j8's budget
  submit(800, 'j9', 'orch-0', 100),
  complete(900, 'j9', 'orch-0', 'n-1'), // exactly at the budget: in time
  ev(950, 'node.stopped', { node: 'n-1' }),
]

const rec = (r: Partial<JobRecord> & Pick<JobRecord, 'job'>): JobRecord => ({
  orchestrator: 'orch-0',
  node: '',
  group: 'unplaced',
  submit_ms: 0,
  phase: 'none',
  outcome: 'complete',
  reason: '',
  latency_ms: null,
  node_done_ms: null,
  ...r,
})

t.test('jobRecords: every job with its outcome, node, group and reason', async (t) => {
  t.strictSame(jobRecords(plain), [
    rec({ job: 'j1', node: 'n-1', group: 'g1', submit_ms: 10, latency_ms: 50, node_done_ms: 45 }),
    rec({ job: 'j2', orchestrator: 'orch-1', node: 'n-2', group: 'g2', submit_ms: 20, outcome: 'failed', reason: 'no_responders' }),
    rec({ job: 'j3', submit_ms: 25, outcome: 'failed', reason: 'no_nodes' }),
    rec({ job: 'j3b', group: 'g3', submit_ms: 27, outcome: 'failed', reason: 'no_nodes' }),
    rec({
      job: 'j4',
      orchestrator: 'orch-1',
      node: 'n-1',
      group: 'g1',
      submit_ms: 100,
      outcome: 'lost',
      reason: 'orchestrator_gone',
      node_done_ms: 40,
    }),
    rec({ job: 'j5', orchestrator: '', submit_ms: 120, outcome: 'lost', reason: 'orchestrator_gone' }),
    rec({ job: 'j6', node: 'n-2', group: 'g2', submit_ms: 200, outcome: 'lost', reason: 'late' }),
    rec({ job: 'j7', submit_ms: 300, outcome: 'lost', reason: 'no_outcome' }),
    rec({ job: 'j8', orchestrator: 'orch-2', submit_ms: 500, outcome: 'lost', reason: 'no_outcome' }),
    rec({ job: 'j9', node: 'n-1', group: 'g1', submit_ms: 800, latency_ms: 100 }),
  ])
})

t.test('jobRecords: details', async (t) => {
  const one = (events: SimEvent[]) => jobRecords(events)[0]
  t.equal(
    one([submit(10, 'a', 'orch-0'), done(40, 'a', 'n-7', 'orch-0')])?.node,
    'n-7',
    'node.job_done names the node when no orchestrator event did',
  )
  t.equal(one([start(0, 'n-7', 'edge'), submit(10, 'a', 'orch-0'), done(40, 'a', 'n-7', 'orch-0')])?.group, 'edge', '...and its group')
  t.equal(
    one([submit(10, 'a', 'orch-0', 1000, 'edge'), failed(20, 'a', 'orch-0', undefined, 'no_nodes')])?.group,
    'edge',
    'no node: the group asked for',
  )
  t.equal(one([submit(10, 'a', 'orch-0'), complete(20, 'a', 'orch-0', 'n-9')])?.group, 'unplaced', 'a node without node.start, group all: unplaced')
  t.equal(one([submit(10.0004, 'a', 'orch-0'), complete(20.0009, 'a', 'orch-0', 'n-1')])?.latency_ms, 10.001, 'rounded to µs')
  const noBudget = one([ev(10, 'job.submit', { orch: 'orch-0', data: { job: 'a' } }), complete(1e7, 'a', 'orch-0', 'n-1')])
  t.strictSame([noBudget?.outcome, noBudget?.latency_ms, noBudget?.group], ['complete', 1e7 - 10, 'unplaced'], 'no budget_ms: no deadline')
  t.strictSame(
    jobRecords([complete(20, 'a', 'orch-0', 'n-1'), ev(5, 'job.bid', { orch: 'orch-0', node: 'n-1' })]),
    [],
    'outcomes without a submit, or without a job, are no jobs',
  )
  const downAtSubmit = one([down(10, 'orch-0'), submit(10, 'a', 'orch-0')])
  t.equal(downAtSubmit?.reason, 'orchestrator_gone', 'a down at the very submit time counts')
  const downAtDeadline = one([submit(10, 'a', 'orch-0', 100), down(110, 'orch-0')])
  t.equal(downAtDeadline?.reason, 'orchestrator_gone', '...and at the deadline')
  const otherDown = one([submit(10, 'a', 'orch-0'), down(20, 'orch-1')])
  t.equal(otherDown?.reason, 'no_outcome', "another orchestrator going down is not this job's loss")
  const lateAndGone = one([submit(10, 'a', 'orch-0', 100), down(50, 'orch-0'), complete(300, 'a', 'orch-0', 'n-1')])
  t.strictSame(
    [lateAndGone?.outcome, lateAndGone?.reason],
    ['lost', 'orchestrator_gone'],
    'a late outcome after its creator went down: orchestrator_gone',
  )
  const failedThenGone = one([submit(10, 'a', 'orch-0'), failed(20, 'a', 'orch-0', 'n-1', 'timeout'), down(30, 'orch-0')])
  t.strictSame([failedThenGone?.outcome, failedThenGone?.reason], ['failed', 'timeout'], 'an outcome in time stands, whatever happens after')
  t.equal(one([submit(10, 'a', 'orch-0'), failed(20, 'a', 'orch-0', 'n-1', 'timeout')])?.node_done_ms, null)
})

t.test('jobCounts: by outcome and reason', async (t) => {
  t.strictSame(jobCounts(jobRecords(plain)), {
    submitted: 10,
    complete: 2,
    failed: { no_responders: 1, no_nodes: 2 },
    lost: { orchestrator_gone: 2, late: 1, no_outcome: 2 },
    lostAfterNodeDone: 1,
  })
  t.strictSame(jobCounts([]), { submitted: 0, complete: 0, failed: {}, lost: {}, lostAfterNodeDone: 0 })
  const lost = (reason: string) => ({
    job: reason,
    orchestrator: 'orch-0',
    node: 'n-1',
    group: 'g',
    submit_ms: 0,
    phase: 'none' as const,
    outcome: 'lost' as const,
    reason,
    latency_ms: null,
    node_done_ms: 50,
  })
  t.equal(
    jobCounts([lost('late'), lost('orchestrator_gone')]).lostAfterNodeDone,
    1,
    'only callbacks sent to a creator that was gone: a late one arrived',
  )
})

const byMetric = (values: MetricValue[], metric: string) => values.filter((v) => v.metric === metric).map((v) => [v.node, v.group, v.value_ms])

t.test('jobMetrics without faults: job_latency_ms only, one per job', async (t) => {
  const v = jobMetrics(plain)
  t.strictSame([...new Set(v.map((x) => x.metric))], ['job_latency_ms'])
  t.strictSame(byMetric(v, 'job_latency_ms'), [
    ['n-1', 'g1', 50],
    ['n-2', 'g2', null],
    ['', 'unplaced', null],
    ['', 'g3', null],
    ['n-1', 'g1', null],
    ['', 'unplaced', null],
    ['n-2', 'g2', null],
    ['', 'unplaced', null],
    ['', 'unplaced', null],
    ['n-1', 'g1', 100],
  ])
})

t.test('a run without jobs has no job metrics', async (t) => {
  const noJobs = [
    start(0, 'n-1', 'g1'),
    ready(1, 'orch-0', 'h:1'),
    apply(100, 'f1', 'orch-0'),
    down(100, 'orch-0'),
    heal(200, 'f1', 'orch-0'),
    ready(210, 'orch-0', 'h:1'),
  ]
  t.strictSame(jobMetrics(noJobs), [])
  t.strictSame(jobRecords(noJobs), [])
  t.notOk(deriveMetrics(noJobs).some((x) => x.metric.startsWith('job_')))
  t.strictSame(jobMetrics([]), [])
})

t.test("faultWindows: from apply to heal, or to its orchestrator's next ready, or to the end", async (t) => {
  t.strictSame(faultWindows([apply(1000, 'f1', 'orch-0'), heal(2000, 'f1', 'orch-0')]), [{ id: 'f1', start: 1000, end: 2000 }])
  t.strictSame(
    faultWindows([
      ready(2900, 'orch-1', 'h:2'), // before the fault: not its end
      apply(3000, 'f2', 'orch-1'),
      down(3000, 'orch-1'),
      ready(3200, 'orch-0', 'h:1'), // another orchestrator
      ready(3500, 'orch-1', 'h:2'),
      ready(3900, 'orch-1', 'h:2'),
      ev(4000, 'mark', { data: { name: 'x' } }),
    ]),
    [{ id: 'f2', start: 3000, end: 3500 }],
    'no heal: its orchestrator ready again',
  )
  t.strictSame(
    faultWindows([apply(3000, 'f3', 'orch-1'), down(3000, 'orch-1'), ev(4000, 'mark', { data: { name: 'end' } })]),
    [{ id: 'f3', start: 3000, end: 4000 }],
    'no heal, never ready again: the end of the run',
  )
  t.strictSame(
    faultWindows([apply(100, 'l1'), ready(200, 'orch-0', 'h:1'), ev(300, 'mark', { data: { name: 'end' } })]),
    [{ id: 'l1', start: 100, end: 300 }],
    'a fault without orch ends at the end of the run',
  )
  t.strictSame(
    faultWindows([
      apply(5000, 'late', 'orch-2'),
      heal(6000, 'late', 'orch-2'),
      apply(100, 'early', 'orch-0'),
      apply(150, 'early', 'orch-0'),
      heal(200, 'early', 'orch-0'),
      heal(300, 'early', 'orch-0'),
    ]),
    [
      { id: 'early', start: 100, end: 200 },
      { id: 'late', start: 5000, end: 6000 },
    ],
    'sorted by start; the first apply and the first heal count',
  )
  t.strictSame(
    faultWindows([heal(10, 'x'), ev(20, 'fault.apply', { orch: 'orch-0', data: { type: 'kill', disruptive: true } }), submit(30, 'a', 'orch-0')]),
    [],
    'a heal alone, or a fault without id, is no window',
  )
})

/** A run with one fault from 1000 to 2000. */
const faulted: SimEvent[] = [
  start(0, 'n-1', 'g1'),
  submit(100, 'a', 'orch-1'),
  complete(200, 'a', 'orch-1', 'n-1'),
  submit(900, 'b', 'orch-1'),
  complete(1000, 'b', 'orch-1', 'n-1'), // ends as the fault starts: before
  apply(1000, 'f1', 'orch-0'),
  down(1000, 'orch-0'),
  submit(950, 'c', 'orch-1'),
  complete(1050, 'c', 'orch-1', 'n-1'),
  submit(1100, 'd', 'orch-1', 5000), // no outcome: lost
  submit(1200, 'e', 'orch-1'),
  complete(1300, 'e', 'orch-1', 'n-1'),
  submit(1400, 'f', 'orch-1'),
  failed(1450, 'f', 'orch-1', 'n-1', 'timeout'),
  submit(1500, 'g', 'orch-1'),
  complete(1700, 'g', 'orch-1', 'n-1'),
  submit(1600, 'h', 'orch-1'),
  complete(1650, 'h', 'orch-1', 'n-1'), // completes first, but submitted after g
  heal(2000, 'f1', 'orch-0'),
  submit(2000, 'i', 'orch-1'),
  complete(2100, 'i', 'orch-1', 'n-1'),
  submit(2500, 'j', 'orch-1'),
  complete(2550, 'j', 'orch-1', 'n-1'),
]

t.test('phases before, during and after the fault', async (t) => {
  t.strictSame(
    jobRecords(faulted).map((r) => [r.job, r.phase, r.outcome]),
    [
      ['a', 'before', 'complete'],
      ['b', 'before', 'complete'],
      ['c', 'during', 'complete'],
      ['d', 'during', 'lost'],
      ['e', 'during', 'complete'],
      ['f', 'during', 'failed'],
      ['g', 'during', 'complete'],
      ['h', 'during', 'complete'],
      ['i', 'after', 'complete'],
      ['j', 'after', 'complete'],
    ],
  )
  const v = jobMetrics(faulted)
  t.strictSame(byMetric(v, 'job_latency_before_ms'), [
    ['n-1', 'g1', 100],
    ['n-1', 'g1', 100],
  ])
  t.strictSame(byMetric(v, 'job_latency_during_ms'), [
    ['n-1', 'g1', 100],
    ['', 'unplaced', null],
    ['n-1', 'g1', 100],
    ['n-1', 'g1', null],
    ['n-1', 'g1', 200],
    ['n-1', 'g1', 50],
  ])
  t.strictSame(byMetric(v, 'job_latency_after_ms'), [
    ['n-1', 'g1', 100],
    ['n-1', 'g1', 50],
  ])
  t.equal(byMetric(v, 'job_latency_ms').length, 10, 'job_latency_ms for every job as well')
  t.equal(byMetric(v, 'job_latency_none_ms').length, 0, 'no "none" phase when the run has faults')
})

t.test('a job lost or late before the first fault is before it', async (t) => {
  // a's deadline (100 + 300) passes long before the fault at 1000; b's late outcome too.
  const events = [
    submit(100, 'a', 'orch-1', 300),
    submit(120, 'b', 'orch-1', 100),
    complete(300, 'b', 'orch-1', 'n-1'),
    apply(1000, 'f1', 'orch-0'),
    heal(2000, 'f1', 'orch-0'),
  ]
  t.strictSame(
    jobRecords(events).map((r) => [r.job, r.outcome, r.phase]),
    [
      ['a', 'lost', 'before'],
      ['b', 'lost', 'before'],
    ],
    "a job's life ends at its deadline",
  )
})

t.test('job_resume_ms: to the completion of the first job submitted after the last failed or lost one', async (t) => {
  // after the fault at 1000: d lost, f failed; g (submitted after f) completes at 1700
  t.strictSame(byMetric(jobMetrics(faulted), 'job_resume_ms'), [['f1', 'cluster', 700]])

  const clean = [
    submit(100, 'a', 'orch-0'),
    complete(150, 'a', 'orch-0', 'n-1'),
    apply(1000, 'f1', 'orch-1'),
    heal(1200, 'f1', 'orch-1'),
    submit(1100, 'b', 'orch-0'),
    complete(1130.5, 'b', 'orch-0', 'n-1'),
    submit(1110, 'c', 'orch-0'),
    complete(1120, 'c', 'orch-0', 'n-1'),
  ]
  t.strictSame(byMetric(jobMetrics(clean), 'job_resume_ms'), [['f1', 'cluster', 130.5]], 'nothing failed: the first job submitted after the fault')

  const never = [
    apply(1000, 'f1', 'orch-0'),
    submit(1100, 'a', 'orch-0'),
    complete(1150, 'a', 'orch-0', 'n-1'),
    submit(1200, 'b', 'orch-0'),
    failed(1210, 'b', 'orch-0', 'n-1', 'timeout'),
    heal(1500, 'f1', 'orch-0'),
  ]
  t.strictSame(byMetric(jobMetrics(never), 'job_resume_ms'), [['f1', 'cluster', null]], 'nothing completes after the last failure: missing')

  const none = [submit(100, 'a', 'orch-0'), complete(150, 'a', 'orch-0', 'n-1'), apply(1000, 'f1', 'orch-0'), heal(1500, 'f1', 'orch-0')]
  t.strictSame(byMetric(jobMetrics(none), 'job_resume_ms'), [['f1', 'cluster', null]], 'no job after the fault: missing')

  const two = [
    apply(1000, 'f1', 'orch-0'),
    heal(1500, 'f1', 'orch-0'),
    submit(1100, 'a', 'orch-0'),
    failed(1110, 'a', 'orch-0', 'n-1', 'timeout'),
    submit(2900, 'b', 'orch-0'),
    complete(3300, 'b', 'orch-0', 'n-1'), // before f2 starts: f1's
    apply(3000, 'f2', 'orch-1'),
    heal(3500, 'f2', 'orch-1'),
    submit(3100, 'c', 'orch-1'),
    failed(3120, 'c', 'orch-1', 'n-1', 'no_responders'),
    submit(3200, 'd', 'orch-1'),
    complete(3250, 'd', 'orch-1', 'n-1'),
  ]
  t.strictSame(
    byMetric(jobMetrics(two), 'job_resume_ms'),
    [
      ['f1', 'cluster', 2300],
      ['f2', 'cluster', 250],
    ],
    'one per fault, each over the jobs submitted before the next',
  )
})

t.test('deriveMetrics includes the job metrics', async (t) => {
  const all = deriveMetrics(faulted)
  t.strictSame(
    all.filter((x) => x.metric.startsWith('job_')),
    jobMetrics(faulted),
  )
  t.ok(all.some((x) => x.metric === 'job_resume_ms'))
})

t.test('jobsCsv: columns and rows', async (t) => {
  t.strictSame(
    [...JOBS_COLUMNS],
    ['run_id', 'scenario', 'job', 'orchestrator', 'node', 'group', 'submit_ms', 'phase', 'outcome', 'reason', 'latency_ms', 'node_done_ms'],
  )
  const lines = jobsCsv('r1', 'failover', jobRecords(plain)).trim().split('\n')
  t.equal(lines.length, 11, 'a header and one row per job')
  t.equal(lines[0], 'run_id,scenario,job,orchestrator,node,group,submit_ms,phase,outcome,reason,latency_ms,node_done_ms')
  t.equal(lines[1], 'r1,failover,j1,orch-0,n-1,g1,10.000,none,complete,,50.000,45.000')
  t.equal(lines[2], 'r1,failover,j2,orch-1,n-2,g2,20.000,none,failed,no_responders,,')
  t.equal(lines[5], 'r1,failover,j4,orch-1,n-1,g1,100.000,none,lost,orchestrator_gone,,40.000')
  t.equal(lines[6], 'r1,failover,j5,,,unplaced,120.000,none,lost,orchestrator_gone,,')
  const phased = jobsCsv('r2', 's', jobRecords(faulted)).trim().split('\n')
  t.equal(phased[4], 'r2,s,d,orch-1,,unplaced,1100.000,during,lost,no_outcome,,')
  t.equal(jobsCsv('r', 's', []).trim(), JOBS_COLUMNS.join(','), 'no jobs: the header only')
})
