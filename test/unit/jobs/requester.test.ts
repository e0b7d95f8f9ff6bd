import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RawEvent } from '../../../sim/core/events.ts'
import { now } from '../../../sim/core/clock.ts'
import { Requester, type CallResult, type RequesterTransport } from '../../../sim/jobs/requester.ts'
import type { ComputeCall, JobOrder, JobRequest } from '../../../sim/jobs/job-protocol.ts'

type Handler = (node: string, call: ComputeCall, req: JobRequest, r: Requester) => CallResult | Promise<CallResult>

interface Call {
  node: string
  call: ComputeCall
  req: JobRequest
  timeoutMs: number
}

/** A fake transport: records calls, answers with `handler`; a fake emit collects the events. */
const setup = (handler: Handler, opts: { nodes?: string[]; peer?: { PeerID: string; Addrs: string[] } } = {}) => {
  const calls: Call[] = []
  const raw: RawEvent[] = []
  let requester: Requester | undefined
  const transport: RequesterTransport = {
    name: 'orch-0',
    ...(opts.peer === undefined ? {} : { peer: opts.peer }),
    eligibleNodes: () => opts.nodes ?? ['n-1'],
    call: async (node, call, req, timeoutMs) => {
      calls.push({ node, call, req, timeoutMs })
      return handler(node, call, req, requester as Requester)
    },
  }
  requester = new Requester(transport, (e) => raw.push(e))
  /** events without their clock reading */
  const events = () => raw.map(({ at: _at, ...e }) => e)
  return { r: requester, calls, raw, events }
}

const order = (o: Partial<JobOrder> = {}): JobOrder => ({ job: 'j1', runMs: 5, fail: false, pick: 0, group: null, timeoutMs: 1000, ...o })
const ok: CallResult = { ok: true }
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

/** The node's side done right: the bid right after the ack, the run's callback a few ms after BidAccepted. */
const honest =
  (final: 'OnRunComplete' | 'OnComputeFailure' = 'OnRunComplete', accepted: boolean | 'none' = true): Handler =>
  (node, call, req, r) => {
    const body = { JobID: req.JobID, ExecutionID: req.ExecutionID, NodeID: node }
    if (call === 'AskForBid') setImmediate(() => r.onCallback('OnBidComplete', accepted === 'none' ? body : { ...body, Accepted: accepted }))
    else setTimeout(() => r.onCallback(final, body), 3)
    return ok
  }

t.test('choose: the pick draw over the eligible nodes in id order', async (t) => {
  const eligible = ['n-3', 'n-1', 'n-2']
  t.equal(Requester.choose(eligible, { pick: 0, group: null }), 'n-1')
  t.equal(Requester.choose(eligible, { pick: 0.33, group: null }), 'n-1')
  t.equal(Requester.choose(eligible, { pick: 0.34, group: null }), 'n-2')
  t.equal(Requester.choose(eligible, { pick: 0.5, group: null }), 'n-2')
  t.equal(Requester.choose(eligible, { pick: 0.67, group: null }), 'n-3')
  t.equal(Requester.choose(eligible, { pick: 0.9999, group: null }), 'n-3')
  t.equal(Requester.choose(eligible, { pick: 1, group: null }), 'n-3', 'a draw of 1 is clamped to the last node')
  t.strictSame(eligible, ['n-3', 'n-1', 'n-2'], 'the input is not sorted in place')
  t.equal(Requester.choose(['only'], { pick: 0.7, group: null }), 'only')
  t.equal(Requester.choose([], { pick: 0, group: null }), null, 'no node: null')
})

t.test('choose: a group takes only ids <group>-<digits>', async (t) => {
  const eligible = ['ab-1', 'a-x', 'a-2', 'b-1', 'a-', 'xa-1', 'a-10', 'a-1', 'a-1x', 'a', 'A-3']
  // the group's nodes, in (string) id order: a-1, a-10, a-2
  t.equal(Requester.choose(eligible, { pick: 0, group: 'a' }), 'a-1')
  t.equal(Requester.choose(eligible, { pick: 0.34, group: 'a' }), 'a-10')
  t.equal(Requester.choose(eligible, { pick: 0.99, group: 'a' }), 'a-2')
  for (let k = 0; k < 20; k++) {
    const n = Requester.choose(eligible, { pick: k / 20, group: 'a' })
    t.ok(n === 'a-1' || n === 'a-2' || n === 'a-10', `pick ${k / 20}: ${n} is in group a`)
  }
  t.equal(Requester.choose(['ab-1', 'a-x', 'a-', 'xa-1'], { pick: 0, group: 'a' }), null, 'ab-1, a-x, a- and xa-1 are not in group a')
  t.equal(Requester.choose(eligible, { pick: 0, group: 'ab' }), 'ab-1')
  t.equal(Requester.choose(eligible, { pick: 0, group: 'c' }), null, 'no node of the group: null')
  t.equal(Requester.choose(['a.b-1', 'axb-2'], { pick: 0.9, group: 'a.b' }), 'a.b-1', 'the group name is not a pattern')
})

t.test('the happy path: job.bid, then job.complete, with orch and node', async (t) => {
  const { r, calls, raw, events } = setup(honest(), { nodes: ['n-2', 'n-1'] })
  const before = now()
  await r.submit(order({ pick: 0.9, runMs: 7, timeoutMs: 250 }))
  const after = now()
  t.strictSame(events(), [
    { kind: 'job.bid', orch: 'orch-0', node: 'n-2', data: { job: 'j1' } },
    { kind: 'job.complete', orch: 'orch-0', node: 'n-2', data: { job: 'j1' } },
  ])
  for (const e of raw) t.ok(e.at >= before && e.at <= after, 'stamped with the clock')
  t.ok((raw[1]?.at ?? 0) >= (raw[0]?.at ?? Infinity), 'in order')
  const req = { JobID: 'j1', ExecutionID: 'j1.n-2', Orchestrator: 'orch-0', RunMs: 7, Fail: false }
  t.strictSame(calls, [
    { node: 'n-2', call: 'AskForBid', req, timeoutMs: 250 },
    { node: 'n-2', call: 'BidAccepted', req, timeoutMs: 250 },
  ])
  t.equal(r.inFlight, 0)
})

t.test('the request names the orchestrator peer (libp2p) and says Fail', async (t) => {
  const peer = { PeerID: '12D3Koo', Addrs: ['/ip4/127.0.0.1/tcp/4001'] }
  const { r, calls } = setup(honest(), { peer })
  await r.submit(order({ job: 'j9', fail: true }))
  t.strictSame(calls[0]?.req, { JobID: 'j9', ExecutionID: 'j9.n-1', Orchestrator: 'orch-0', OrchestratorPeer: peer, RunMs: 5, Fail: true })
})

t.test('a bid that arrives before AskForBid returns is not missed', async (t) => {
  const { r, events } = setup((node, call, req, r) => {
    const body = { JobID: req.JobID, ExecutionID: req.ExecutionID, NodeID: node }
    r.onCallback(call === 'AskForBid' ? 'OnBidComplete' : 'OnRunComplete', call === 'AskForBid' ? { ...body, Accepted: true } : body)
    return ok
  })
  await r.submit(order())
  t.strictSame(
    events().map((e) => e.kind),
    ['job.bid', 'job.complete'],
  )
})

t.test('AskForBid failing: job.failed with the mapped reason, stage ask_for_bid', async (t) => {
  const cases: [string, string][] = [
    ['NO_RESPONDERS', 'no_responders'],
    ['TIMEOUT', 'timeout'],
    ['UNREACHABLE', 'unreachable'],
    ['REJECTED', 'rejected'],
    ['CONNECTION_CLOSED', 'error'],
  ]
  for (const [code, reason] of cases) {
    const { r, calls, events } = setup(() => ({ ok: false, code, message: 'x' }))
    await r.submit(order())
    t.strictSame(events(), [{ kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason, code, stage: 'ask_for_bid' } }], code)
    t.strictSame(
      calls.map((c) => c.call),
      ['AskForBid'],
      `${code}: no BidAccepted`,
    )
    t.equal(r.inFlight, 0, `${code}: nothing left waiting`)
  }
})

t.test('no eligible node: job.failed no_nodes without a node, and no call', async (t) => {
  for (const [nodes, group] of [
    [[], null],
    [['b-1', 'ab-1'], 'a'],
  ] as [string[], string | null][]) {
    const { r, calls, events } = setup(honest(), { nodes })
    await r.submit(order({ group }))
    t.strictSame(events(), [{ kind: 'job.failed', orch: 'orch-0', data: { job: 'j1', reason: 'no_nodes', code: 'NO_NODES', stage: 'select' } }])
    t.notOk('node' in (events()[0] ?? {}), 'no node key at all')
    t.equal(calls.length, 0)
    t.equal(r.inFlight, 0)
  }
})

t.test('no bid within timeoutMs: job.failed timeout at stage bid; a late bid is ignored', async (t) => {
  const { r, calls, events } = setup(() => ok)
  const started = performance.now()
  const p = r.submit(order({ timeoutMs: 30 }))
  await tick()
  t.equal(r.inFlight, 1, 'waiting for the bid')
  await p
  const took = performance.now() - started
  t.ok(took >= 25 && took < 1000, `gave up after about 30 ms (${took.toFixed(1)} ms)`)
  t.strictSame(events(), [{ kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason: 'timeout', code: 'TIMEOUT', stage: 'bid' } }])
  t.strictSame(
    calls.map((c) => c.call),
    ['AskForBid'],
  )
  t.equal(r.inFlight, 0)
  r.onCallback('OnBidComplete', { JobID: 'j1', ExecutionID: 'j1.n-1', NodeID: 'n-1', Accepted: true })
  await tick()
  t.equal(events().length, 1, 'the late bid changes nothing')
  t.equal(calls.length, 1)
})

t.test('an AskForBid slower than the budget and then ok: timeout at stage bid', async (t) => {
  const { r, events } = setup(async () => {
    await sleep(40)
    return ok
  })
  await r.submit(order({ timeoutMs: 10 }))
  t.strictSame(events(), [{ kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason: 'timeout', code: 'TIMEOUT', stage: 'bid' } }])
})

t.test('a bid with Accepted false (or none): rejected at stage bid', async (t) => {
  for (const accepted of [false, 'none'] as const) {
    const { r, calls, events } = setup(honest('OnRunComplete', accepted))
    await r.submit(order())
    t.strictSame(
      events(),
      [{ kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason: 'rejected', code: 'REJECTED', stage: 'bid' } }],
      `Accepted ${accepted}`,
    )
    t.strictSame(
      calls.map((c) => c.call),
      ['AskForBid'],
      'no BidAccepted',
    )
    t.equal(r.inFlight, 0)
  }
})

t.test('BidAccepted failing: job.bid, then job.failed at stage bid_accepted', async (t) => {
  for (const [code, reason] of [
    ['TIMEOUT', 'timeout'],
    ['NO_RESPONDERS', 'no_responders'],
    ['UNKNOWN', 'unreachable'],
  ] as [string, string][]) {
    const good = honest()
    const { r, events } = setup((node, call, req, r) => (call === 'AskForBid' ? good(node, call, req, r) : { ok: false, code }))
    await r.submit(order())
    t.strictSame(
      events(),
      [
        { kind: 'job.bid', orch: 'orch-0', node: 'n-1', data: { job: 'j1' } },
        { kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason, code, stage: 'bid_accepted' } },
      ],
      code,
    )
    t.equal(r.inFlight, 0, `${code}: the run wait is dropped`)
  }
})

t.test('OnComputeFailure: job.bid, then job.failed compute_failure at stage run', async (t) => {
  const { r, events } = setup(honest('OnComputeFailure'))
  await r.submit(order({ fail: true }))
  t.strictSame(events(), [
    { kind: 'job.bid', orch: 'orch-0', node: 'n-1', data: { job: 'j1' } },
    { kind: 'job.failed', orch: 'orch-0', node: 'n-1', data: { job: 'j1', reason: 'compute_failure', code: 'COMPUTE_FAILURE', stage: 'run' } },
  ])
  t.equal(r.inFlight, 0)
})

t.test('callbacks for unknown executions, from the wrong node or of the wrong stage are ignored', async (t) => {
  const { r, calls, events } = setup(() => ok, { nodes: ['n-1', 'n-2'] })
  const body = { JobID: 'j1', ExecutionID: 'j1.n-1', NodeID: 'n-1' }
  let done = false
  const p = r.submit(order({ timeoutMs: 2000 })).then(() => (done = true))
  await tick()
  t.equal(r.inFlight, 1)
  r.onCallback('OnBidComplete', { ...body, ExecutionID: 'j2.n-1', Accepted: true })
  r.onCallback('OnBidComplete', { ...body, ExecutionID: 'j1.n-2', NodeID: 'n-2', Accepted: true })
  r.onCallback('OnBidComplete', { ...body, NodeID: 'n-2', Accepted: true })
  r.onCallback('OnRunComplete', body)
  r.onCallback('OnComputeFailure', body)
  await tick()
  t.strictSame(events(), [], 'none of them counts as the bid')
  t.equal(r.inFlight, 1, 'still waiting for the bid')
  t.equal(calls.length, 1)

  r.onCallback('OnBidComplete', { ...body, Accepted: true })
  await tick()
  await tick()
  t.strictSame(
    events().map((e) => e.kind),
    ['job.bid'],
  )
  t.strictSame(
    calls.map((c) => c.call),
    ['AskForBid', 'BidAccepted'],
  )
  t.equal(r.inFlight, 1, 'now waiting for the run')

  r.onCallback('OnBidComplete', { ...body, Accepted: true })
  r.onCallback('OnRunComplete', { ...body, NodeID: 'n-2' })
  r.onCallback('OnRunComplete', { ...body, ExecutionID: 'j1.n-2' })
  r.onCallback('OnComputeFailure', { ...body, ExecutionID: 'zzz' })
  await tick()
  t.equal(done, false, 'the run is still pending')
  t.strictSame(
    events().map((e) => e.kind),
    ['job.bid'],
  )
  t.equal(r.inFlight, 1)

  r.onCallback('OnRunComplete', body)
  await p
  t.strictSame(
    events().map((e) => e.kind),
    ['job.bid', 'job.complete'],
  )
  r.onCallback('OnRunComplete', body)
  r.onCallback('OnComputeFailure', body)
  await tick()
  t.equal(events().length, 2, 'a second final callback changes nothing')
  t.equal(r.inFlight, 0)
})

t.test('inFlight counts executions waiting for a callback', async (t) => {
  const { r } = setup(() => ok, { nodes: ['n-1', 'n-2', 'n-3'] })
  t.equal(r.inFlight, 0)
  const ps = [r.submit(order({ job: 'a', pick: 0 })), r.submit(order({ job: 'b', pick: 0.5 })), r.submit(order({ job: 'c', pick: 0.9 }))]
  await tick()
  t.equal(r.inFlight, 3)
  r.onCallback('OnBidComplete', { JobID: 'a', ExecutionID: 'a.n-1', NodeID: 'n-1', Accepted: false })
  await ps[0]
  t.equal(r.inFlight, 2)
  r.onCallback('OnBidComplete', { JobID: 'b', ExecutionID: 'b.n-2', NodeID: 'n-2', Accepted: true })
  await tick()
  await tick()
  t.equal(r.inFlight, 2, 'b now waits for its run')
  r.onCallback('OnRunComplete', { JobID: 'b', ExecutionID: 'b.n-2', NodeID: 'n-2' })
  await ps[1]
  t.equal(r.inFlight, 1)
  r.stop()
  await ps[2]
  t.equal(r.inFlight, 0)
})

t.test('stop(): pending submits end without any event', async (t) => {
  const { r, events } = setup(() => ok, { nodes: ['n-1', 'n-2'] })
  let settled = 0
  const bidStage = r.submit(order({ job: 'a', pick: 0, timeoutMs: 5000 })).then(() => settled++)
  const runStage = r.submit(order({ job: 'b', pick: 0.9, timeoutMs: 5000 })).then(() => settled++)
  await tick()
  r.onCallback('OnBidComplete', { JobID: 'b', ExecutionID: 'b.n-2', NodeID: 'n-2', Accepted: true })
  await tick()
  await tick()
  t.equal(r.inFlight, 2)
  t.equal(settled, 0)
  t.strictSame(events(), [{ kind: 'job.bid', orch: 'orch-0', node: 'n-2', data: { job: 'b' } }])
  const started = performance.now()
  r.stop()
  await Promise.all([bidStage, runStage])
  t.ok(performance.now() - started < 1000, 'at once, not after the 5 s budget')
  t.equal(settled, 2)
  t.equal(r.inFlight, 0)
  t.strictSame(
    events().map((e) => e.kind),
    ['job.bid'],
    'no job.failed nor job.complete',
  )
  r.onCallback('OnRunComplete', { JobID: 'b', ExecutionID: 'b.n-2', NodeID: 'n-2' })
  await tick()
  t.equal(events().length, 1, 'a callback after stop is ignored')
})

// A call in flight at stop() fails because the orchestrator closes its connection right after
// requester.stop() (control-plane.ts stop()): that failure is not the job's, and is not reported.
t.test('stop() while a call is in flight: no event when that call then fails', async (t) => {
  for (const stage of ['AskForBid', 'BidAccepted'] as const) {
    let fail: (r: CallResult) => void = () => {}
    const good = honest()
    const { r, events } = setup((node, call, req, r) =>
      call === stage ? new Promise<CallResult>((resolve) => (fail = resolve)) : good(node, call, req, r),
    )
    const p = r.submit(order())
    await sleep(5)
    r.stop()
    fail({ ok: false, code: 'CONNECTION_CLOSED' })
    await p
    t.strictSame(
      events().filter((e) => e.kind === 'job.failed'),
      [],
      `${stage} in flight: no job.failed after stop()`,
    )
    t.equal(r.inFlight, 0)
  }
})
