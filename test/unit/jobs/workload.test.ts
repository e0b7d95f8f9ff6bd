import t from 'tap'
import { dataOf } from '../../helpers/events.ts'
import { setTimeout as sleep } from 'node:timers/promises'
import { JobWorkload } from '../../../sim/jobs/workload.ts'
import { Recorder } from '../../../sim/core/recorder.ts'
import { createRng } from '../../../sim/core/rng.ts'
import { now } from '../../../sim/core/clock.ts'
import type { WorkloadSpec as PlanJobs } from '../../../sim/jobs/workload.ts'
import type { Cluster as RunCluster, Member as RunMember } from '../../../sim/core/cluster.ts'
import type { JobOrder } from '../../../sim/jobs/job-protocol.ts'
import type { RawEvent, SimEvent } from '../../../sim/core/events.ts'

interface FakeMember {
  name: string
  orders: JobOrder[]
  /** the recorder's last event when the order was handed over */
  lastEvent: (SimEvent | undefined)[]
}

/** A fake cluster: `live` decides who is up; members record the orders they are given. */
const cluster = (recorder: Recorder, names: string[]) => {
  const members: FakeMember[] = names.map((name) => ({ name, orders: [], lastEvent: [] }))
  let live = [...members]
  const asMember = (m: FakeMember) =>
    ({
      name: m.name,
      state: 'up',
      submitJob: (o: JobOrder) => {
        m.orders.push(o)
        m.lastEvent.push(recorder.events.at(-1))
      },
    }) as unknown as RunMember
  const c = { live: () => live.map(asMember), members: [] } as unknown as RunCluster
  return { c, members, setLive: (ns: string[]) => (live = members.filter((m) => ns.includes(m.name))) }
}

const spec = (o: Partial<PlanJobs> = {}): PlanJobs => ({
  rate: 100,
  runMs: 50,
  forMs: null,
  group: null,
  via: 'all',
  timeoutMs: 200,
  budgetMs: 1000,
  failureRate: 0,
  ...o,
})

const setup = (o: Partial<PlanJobs> = {}, names = ['orch-0', 'orch-1', 'orch-2'], seed = 42) => {
  const recorder = new Recorder()
  const f = cluster(recorder, names)
  const w = new JobWorkload(spec(o), { cluster: f.c, recorder, rng: createRng(seed), prefix: 'w0-' })
  const submits = () => recorder.events.filter((e) => e.kind === 'job.submit')
  const orders = () => f.members.flatMap((m) => m.orders).sort((a, b) => a.job.localeCompare(b.job))
  return { w, recorder, ...f, submits, orders }
}

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end);
}

/** Starts, holds the event loop `ms` (so the next tick finds that many jobs due), lets one tick run, stops. */
const burst = async (w: JobWorkload, ms: number) => {
  w.start()
  busy(ms)
  await sleep(12)
  w.stopSubmitting()
}

const outcome = (kind: 'job.complete' | 'job.failed', job: string, extra: Record<string, unknown> = {}): RawEvent =>
  ({
    at: now(),
    kind,
    orch: 'orch-0',
    node: 'n-1',
    data: { job, ...extra },
  }) as RawEvent

t.test('start submits the first job at once, with job.submit before the hand-over', async (t) => {
  const { w, recorder, members, submits } = setup({ runMs: 70, timeoutMs: 300, budgetMs: 1500 })
  w.start()
  w.stopSubmitting()
  t.strictSame(
    submits().map(({ t: _t, ...e }) => e),
    [{ kind: 'job.submit', orch: 'orch-0', data: { job: 'w0-00000', group: 'all', budget_ms: 1500, run_ms: 70, fail: false } }],
  )
  const rng = createRng(42)
  t.strictSame(members[0]?.orders, [{ job: 'w0-00000', runMs: 70, fail: false, pick: rng.next(), group: null, timeoutMs: 300 }])
  t.equal(members[0]?.lastEvent[0], recorder.events.at(-1), 'recorded before the member had it')
  t.equal(members[1]?.orders.length, 0)
  t.strictSame(w.tally(), { submitted: 1, completed: 0, failed: 0, open: 1 })
})

t.test('rate pacing: 100/s for 200 ms is about 20 jobs, then it stops by itself', async (t) => {
  const { w, submits, orders } = setup({ rate: 100, forMs: 200 })
  w.start()
  await sleep(300)
  const n = submits().length
  t.ok(n >= 17 && n <= 20, `about 20 jobs (${n})`)
  t.equal(orders().length, n, 'each one handed over')
  t.equal(w.tally().submitted, n)
  t.strictSame(
    submits().map((e) => dataOf(e)['job']),
    Array.from({ length: n }, (_, i) => `w0-${String(i).padStart(5, '0')}`),
    'ids in order',
  )
  await sleep(60)
  t.equal(submits().length, n, 'nothing after `for`')
  const ts = submits().map((e) => e.t)
  t.ok((ts.at(-1) ?? 0) - (ts[0] ?? 0) >= 150, 'spread over the period, not all at once')
  w.stopSubmitting()
})

t.test('a late tick submits what is due', async (t) => {
  const { w, submits } = setup({ rate: 100 })
  const t0 = performance.now()
  w.start()
  t.equal(submits().length, 1)
  busy(100)
  t.equal(submits().length, 1, 'no tick while the loop is held')
  await sleep(8)
  w.stopSubmitting()
  const elapsed = performance.now() - t0
  const n = submits().length
  // due = floor(elapsed s × rate) + 1; a ms of slack for Date.now() rounding
  t.ok(n >= 11 && n <= Math.floor(elapsed / 10) + 2, `the jobs due after ${elapsed.toFixed(0)} ms are submitted at once (${n})`)
})

t.test('round robin over the live members', async (t) => {
  const { w, members, submits } = setup({ rate: 1000 })
  await burst(w, 8)
  const n = submits().length
  t.ok(n >= 9, `a burst of jobs (${n})`)
  t.strictSame(
    submits().map((e) => e.orch),
    Array.from({ length: n }, (_, i) => `orch-${i % 3}`),
  )
  for (const [k, m] of members.entries()) {
    t.strictSame(
      m.orders.map((o) => o.job),
      submits()
        .filter((_, i) => i % 3 === k)
        .map((e) => dataOf(e)['job']),
      `${m.name} got every third job`,
    )
  }
  // one is down: the turn goes over the other two
  const w2 = setup({ rate: 1000 })
  w2.setLive(['orch-0', 'orch-2'])
  await burst(w2.w, 6)
  const orchs = w2.submits().map((e) => e.orch)
  t.strictSame(
    orchs,
    Array.from({ length: orchs.length }, (_, i) => (i % 2 === 0 ? 'orch-0' : 'orch-2')),
  )
  t.equal(w2.members[1]?.orders.length, 0, 'nothing for the dead one')
})

t.test('via: one orchestrator only', async (t) => {
  const { w, members, submits } = setup({ rate: 1000, via: 'orch-1' })
  await burst(w, 5)
  const n = submits().length
  t.ok(n >= 5)
  t.ok(submits().every((e) => e.orch === 'orch-1'))
  t.strictSame(
    members.map((m) => m.orders.length),
    [0, n, 0],
  )
  // it is gone: submits are recorded without orch and handed to nobody
  const gone = setup({ rate: 1000, via: 'orch-1' })
  gone.setLive(['orch-0', 'orch-2'])
  await burst(gone.w, 5)
  t.ok(gone.submits().length >= 5, 'still submitting')
  t.ok(
    gone.submits().every((e) => !('orch' in e)),
    'without orch',
  )
  t.strictSame(
    gone.members.map((m) => m.orders.length),
    [0, 0, 0],
    'nobody else got them',
  )
})

t.test('no live member: job.submit without orch, nothing handed over, the job stays open', async (t) => {
  const { w, members, submits, setLive } = setup({ rate: 1000, group: 'edge', budgetMs: 900, runMs: 10 })
  setLive([])
  await burst(w, 3)
  const n = submits().length
  t.ok(n >= 1)
  t.strictSame(submits()[0] && { kind: submits()[0]?.kind, data: submits()[0]?.data }, {
    kind: 'job.submit',
    data: { job: 'w0-00000', group: 'edge', budget_ms: 900, run_ms: 10, fail: false },
  })
  t.ok(submits().every((e) => e.orch === undefined && !('orch' in e)))
  t.strictSame(
    members.map((m) => m.orders.length),
    [0, 0, 0],
  )
  t.strictSame(w.tally(), { submitted: n, completed: 0, failed: 0, open: n })
})

t.test('a group is passed on in each order', async (t) => {
  const { w, orders, submits } = setup({ group: 'gpu', timeoutMs: 123 })
  w.start()
  w.stopSubmitting()
  t.equal(orders()[0]?.group, 'gpu')
  t.equal(orders()[0]?.timeoutMs, 123)
  t.equal(dataOf(submits()[0])['group'], 'gpu')
})

t.test('the seed decides pick and fail, whoever is up', async (t) => {
  const expected = (seed: number, n: number, rate: number) => {
    const rng = createRng(seed)
    return Array.from({ length: n }, () => {
      const pick = rng.next()
      return { pick, fail: rng.next() < rate }
    })
  }
  const a = setup({ rate: 1000, failureRate: 0.5 }, ['orch-0', 'orch-1'], 7)
  await burst(a.w, 8)
  const got = a.orders().map((o) => ({ pick: o.pick, fail: o.fail }))
  t.ok(got.length >= 8)
  t.strictSame(got, expected(7, got.length, 0.5))
  t.strictSame(
    a.submits().map((e) => dataOf(e)['fail']),
    got.map((g) => g.fail),
    'job.submit says fail too',
  )
  t.ok(got.some((g) => g.fail) && got.some((g) => !g.fail), 'a rate of 0.5 gives both')

  // the same seed with nobody up for a while: the same draws for the same job numbers
  const b = setup({ rate: 1000, failureRate: 0.5 }, ['orch-0'], 7)
  b.setLive([])
  await burst(b.w, 8)
  t.strictSame(
    b.submits().map((e) => dataOf(e)['fail']),
    expected(7, b.submits().length, 0.5).map((x) => x.fail),
  )

  const c = setup({ rate: 1000, failureRate: 0.5 }, ['orch-0'], 8)
  await burst(c.w, 8)
  t.notSame(
    c
      .orders()
      .map((o) => o.pick)
      .slice(0, 3),
    got.map((g) => g.pick).slice(0, 3),
    'another seed, other picks',
  )
})

t.test('failure_rate 1: every order fails; 0: none does', async (t) => {
  const all = setup({ rate: 1000, failureRate: 1 })
  await burst(all.w, 6)
  t.ok(all.orders().length >= 6)
  t.ok(all.orders().every((o) => o.fail === true))
  const none = setup({ rate: 1000, failureRate: 0 })
  await burst(none.w, 6)
  t.ok(none.orders().every((o) => o.fail === false))
})

t.test('tally: outcomes of its own open jobs, each once', async (t) => {
  const { w, recorder, submits } = setup({ rate: 1000 })
  await burst(w, 5)
  const jobs = submits().map((e) => dataOf(e)['job'] as string)
  const n = jobs.length
  t.ok(n >= 4)
  recorder.recordBatch([
    outcome('job.complete', jobs[0] as string),
    outcome('job.failed', jobs[1] as string, { reason: 'timeout' }),
    outcome('job.complete', jobs[0] as string),
    outcome('job.failed', jobs[0] as string, { reason: 'error' }),
    outcome('job.complete', 'w1-00000'),
    { at: now(), kind: 'job.bid', orch: 'orch-0', node: 'n-1', data: { job: jobs[2] as string } },
    { at: now(), kind: 'job.complete', orch: 'orch-0', node: 'n-1' } as RawEvent, // no data: ignored
  ])
  t.strictSame(w.tally(), { submitted: n, completed: 1, failed: 1, open: n - 2 })
  t.strictSame(w.tally(), { submitted: n, completed: 1, failed: 1, open: n - 2 }, 'scanning again changes nothing')
  recorder.recordBatch([outcome('job.failed', jobs[2] as string, { reason: 'no_nodes' })])
  t.strictSame(w.tally(), { submitted: n, completed: 1, failed: 2, open: n - 3 })
})

t.test('settle: resolves once every job has an outcome', async (t) => {
  const { w, recorder, submits } = setup({ rate: 1000, budgetMs: 5000 })
  w.start()
  busy(5)
  await sleep(8)
  const started = performance.now()
  const settled = w.settle()
  const n = submits().length
  t.ok(n >= 5)
  const jobs = submits().map((e) => dataOf(e)['job'] as string)
  setTimeout(() => recorder.recordBatch(jobs.slice(0, 2).map((j) => outcome('job.failed', j, { reason: 'timeout' }))), 20)
  setTimeout(() => recorder.recordBatch(jobs.slice(2).map((j) => outcome('job.complete', j))), 50)
  const tally = await settled
  const took = performance.now() - started
  t.strictSame(tally, { submitted: n, completed: n - 2, failed: 2, open: 0 })
  t.ok(took >= 45 && took < 1000, `when the last outcome came, not at the budget (${took.toFixed(0)} ms)`)
  await sleep(20)
  t.equal(submits().length, n, 'settle stopped the submitting')
})

t.test("settle: gives up at the last job's budget with jobs still open", async (t) => {
  const { w, recorder, submits } = setup({ rate: 1000, budgetMs: 120 })
  await burst(w, 5)
  const n = submits().length
  const lastSubmit = (submits().at(-1)?.t ?? 0) + recorder.startedAt
  const jobs = submits().map((e) => dataOf(e)['job'] as string)
  recorder.recordBatch([outcome('job.complete', jobs[0] as string)])
  const tally = await w.settle()
  const waited = now() - lastSubmit
  t.strictSame(tally, { submitted: n, completed: 1, failed: 0, open: n - 1 })
  t.ok(waited >= 110 && waited < 1000, `about the budget after the last submit (${waited.toFixed(0)} ms)`)
})

t.test('settle: at once when nothing is open', async (t) => {
  const { w, recorder, submits } = setup({ budgetMs: 5000 })
  w.start()
  w.stopSubmitting()
  recorder.recordBatch([outcome('job.complete', dataOf(submits()[0])['job'] as string)])
  const started = performance.now()
  t.strictSame(await w.settle(), { submitted: 1, completed: 1, failed: 0, open: 0 })
  t.ok(performance.now() - started < 100)
})

t.test('settle: an abort rejects', async (t) => {
  const { w } = setup({ budgetMs: 5000 })
  w.start()
  const ac = new AbortController()
  const p = w.settle(ac.signal)
  setTimeout(() => ac.abort(new Error('interrupted')), 10)
  await t.rejects(p, { message: 'interrupted' })
})
