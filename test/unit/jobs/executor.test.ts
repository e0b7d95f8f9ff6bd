import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RawEvent } from '../../../sim/core/events.ts'
import { now } from '../../../sim/core/clock.ts'
import { Executor, type SendCallback } from '../../../sim/jobs/executor.ts'
import type { CallbackKind, JobCallback, JobRequest } from '../../../sim/jobs/job-protocol.ts'

interface Sent {
  req: JobRequest
  kind: CallbackKind
  body: JobCallback
  at: number
}

const setup = (result: Awaited<ReturnType<SendCallback>> | (() => Promise<Awaited<ReturnType<SendCallback>>>) = { ok: true }) => {
  const sent: Sent[] = []
  const raw: RawEvent[] = []
  const send: SendCallback = async (req, kind, body) => {
    sent.push({ req, kind, body, at: performance.now() })
    return typeof result === 'function' ? result() : result
  }
  const x = new Executor('n-1', send, (e) => raw.push(e))
  const events = () => raw.map(({ at: _at, ...e }) => e)
  return { x, sent, raw, events }
}

const req = (o: Partial<JobRequest> = {}): JobRequest => ({
  JobID: 'j1',
  ExecutionID: 'j1.n-1',
  Orchestrator: 'orch-2',
  RunMs: 20,
  Fail: false,
  ...o,
})
const tick = () => new Promise<void>((resolve) => setImmediate(resolve))

t.test('AskForBid: an ack at once, the bid (OnBidComplete, Accepted) sent after', async (t) => {
  const { x, sent, events } = setup()
  const r = req()
  t.strictSame(x.onAskForBid(r), { Accepted: true, NodeID: 'n-1' })
  t.equal(sent.length, 0, 'not sent before the ack is returned')
  await tick()
  t.equal(sent.length, 1)
  t.equal(sent[0]?.req, r, 'sent to the creator named in the request')
  t.equal(sent[0]?.kind, 'OnBidComplete')
  t.strictSame(sent[0]?.body, { JobID: 'j1', ExecutionID: 'j1.n-1', NodeID: 'n-1', Accepted: true })
  t.strictSame(events(), [], 'a bid is not an event')
  t.equal(x.running, 0, 'a bid starts no run')
})

t.test('BidAccepted: after RunMs, OnRunComplete and node.job_done', async (t) => {
  const { x, sent, raw, events } = setup()
  const started = performance.now()
  const before = now()
  t.strictSame(x.onBidAccepted(req({ RunMs: 30 })), { Accepted: true, NodeID: 'n-1' })
  t.equal(x.running, 1)
  t.equal(sent.length, 0, 'nothing before the run ends')
  await sleep(10)
  t.equal(sent.length, 0, 'still running at 10 ms')
  await sleep(60)
  t.equal(sent.length, 1)
  const took = (sent[0]?.at ?? 0) - started
  t.ok(took >= 28 && took < 500, `ran about 30 ms (${took.toFixed(1)} ms)`)
  t.equal(sent[0]?.kind, 'OnRunComplete')
  t.strictSame(sent[0]?.body, { JobID: 'j1', ExecutionID: 'j1.n-1', NodeID: 'n-1' })
  t.strictSame(events(), [{ kind: 'node.job_done', node: 'n-1', data: { job: 'j1', orchestrator: 'orch-2', ok: true, sent: true } }])
  t.ok((raw[0]?.at ?? 0) >= before + 25, 'stamped when the run ended')
  t.equal(x.running, 0)
})

t.test('Fail: OnComputeFailure with an error message, job_done ok false', async (t) => {
  const { x, sent, events } = setup()
  x.onBidAccepted(req({ RunMs: 1, Fail: true }))
  await sleep(30)
  t.equal(sent.length, 1)
  t.equal(sent[0]?.kind, 'OnComputeFailure')
  t.strictSame(sent[0]?.body, { JobID: 'j1', ExecutionID: 'j1.n-1', NodeID: 'n-1', ErrorMessage: 'simulated execution failure' })
  t.strictSame(events(), [{ kind: 'node.job_done', node: 'n-1', data: { job: 'j1', orchestrator: 'orch-2', ok: false, sent: true } }])
})

t.test('a callback that could not be sent: job_done sent false with the code', async (t) => {
  const { x, events } = setup({ ok: false, code: 'UNREACHABLE' })
  x.onBidAccepted(req({ RunMs: 0 }))
  x.onBidAccepted(req({ JobID: 'j2', ExecutionID: 'j2.n-1', RunMs: 0, Fail: true, Orchestrator: 'orch-0' }))
  await sleep(20)
  t.strictSame(events(), [
    { kind: 'node.job_done', node: 'n-1', data: { job: 'j1', orchestrator: 'orch-2', ok: true, sent: false, code: 'UNREACHABLE' } },
    { kind: 'node.job_done', node: 'n-1', data: { job: 'j2', orchestrator: 'orch-0', ok: false, sent: false, code: 'UNREACHABLE' } },
  ])
})

t.test('runs overlap: each ends after its own RunMs', async (t) => {
  const { x, sent } = setup()
  x.onBidAccepted(req({ JobID: 'slow', ExecutionID: 'slow.n-1', RunMs: 40 }))
  x.onBidAccepted(req({ JobID: 'fast', ExecutionID: 'fast.n-1', RunMs: 5 }))
  t.equal(x.running, 2)
  await sleep(80)
  t.strictSame(
    sent.map((s) => s.body.JobID),
    ['fast', 'slow'],
  )
  t.equal(x.running, 0)
})

t.test('stop(): runs are cancelled, no callback and no event', async (t) => {
  const { x, sent, events } = setup()
  x.onBidAccepted(req({ RunMs: 20 }))
  x.onBidAccepted(req({ JobID: 'j2', ExecutionID: 'j2.n-1', RunMs: 25 }))
  t.equal(x.running, 2)
  x.stop()
  t.equal(x.running, 0)
  await sleep(50)
  t.equal(sent.length, 0)
  t.strictSame(events(), [])
})

t.test('stop() before the bid is sent: no bid', async (t) => {
  const { x, sent } = setup()
  x.onAskForBid(req())
  x.stop()
  await tick()
  await tick()
  t.equal(sent.length, 0)
})

t.test('stop() while the final callback is being sent: no event', async (t) => {
  let release: (v: { ok: true }) => void = () => {}
  const { x, sent, events } = setup(() => new Promise((resolve) => (release = resolve)))
  x.onBidAccepted(req({ RunMs: 0 }))
  await sleep(10)
  t.equal(sent.length, 1, 'the send started')
  x.stop()
  release({ ok: true })
  await tick()
  t.strictSame(events(), [])
})
