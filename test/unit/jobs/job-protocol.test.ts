import t from 'tap'
import {
  CALLBACK_KINDS,
  CALLBACK_PROTOCOLS,
  COMPUTE_PROTOCOLS,
  asJobCallback,
  asJobRequest,
  callbackSubject,
  callbackWildcard,
  computeSubject,
  reasonOf,
} from '../../../sim/jobs/job-protocol.ts'
import { ASK_FOR_BID_PROTOCOL } from '../../../sim/transports/libp2p/protocol.ts'

const request = { JobID: 'j1', ExecutionID: 'j1.n1', Orchestrator: 'orch-0', RunMs: 100, Fail: false }
const callback = { JobID: 'j1', ExecutionID: 'j1.n1', NodeID: 'n1' }

t.test('asJobRequest: a well-formed request is returned as is', async (t) => {
  t.equal(asJobRequest(request), request, 'the same object')
  const withPeer = { ...request, OrchestratorPeer: { PeerID: 'P', Addrs: ['/ip4/127.0.0.1/tcp/1'] }, Fail: true, RunMs: 0 }
  t.equal(asJobRequest(withPeer), withPeer, 'RunMs 0 and Fail true are fine, the peer is kept')
})

t.test('asJobRequest: malformed input is null', async (t) => {
  const bad: [string, unknown][] = [
    ['null', null],
    ['undefined', undefined],
    ['a string', 'j1'],
    ['a JSON string', JSON.stringify(request)],
    ['a number', 3],
    ['an empty object', {}],
    ['no JobID', { ...request, JobID: undefined }],
    ['no ExecutionID', { ...request, ExecutionID: undefined }],
    ['no Orchestrator', { ...request, Orchestrator: undefined }],
    ['no RunMs', { ...request, RunMs: undefined }],
    ['no Fail', { ...request, Fail: undefined }],
    ['numeric JobID', { ...request, JobID: 1 }],
    ['negative RunMs', { ...request, RunMs: -1 }],
    ['NaN RunMs', { ...request, RunMs: Number.NaN }],
    ['infinite RunMs', { ...request, RunMs: Number.POSITIVE_INFINITY }],
    ['string RunMs', { ...request, RunMs: '100' }],
    ['string Fail', { ...request, Fail: 'false' }],
    ['numeric Fail', { ...request, Fail: 0 }],
    ['null Fail', { ...request, Fail: null }],
  ]
  for (const [what, v] of bad) t.equal(asJobRequest(v), null, what)
})

t.test('asJobCallback: well-formed or null', async (t) => {
  t.equal(asJobCallback(callback), callback)
  const withExtras = { ...callback, Accepted: true, ErrorMessage: 'x' }
  t.equal(asJobCallback(withExtras), withExtras)
  const bad: [string, unknown][] = [
    ['null', null],
    ['a string', 'x'],
    ['a number', 1],
    ['an empty object', {}],
    ['no JobID', { ...callback, JobID: undefined }],
    ['no ExecutionID', { ...callback, ExecutionID: undefined }],
    ['no NodeID', { ...callback, NodeID: undefined }],
    ['numeric NodeID', { ...callback, NodeID: 7 }],
  ]
  for (const [what, v] of bad) t.equal(asJobCallback(v), null, what)
})

t.test("NATS subjects are Bacalhau's", async (t) => {
  t.equal(computeSubject('n-1', 'AskForBid'), 'node.compute.n-1.AskForBid/v1')
  t.equal(computeSubject('n-1', 'BidAccepted'), 'node.compute.n-1.BidAccepted/v1')
  t.equal(callbackSubject('orch-2', 'OnBidComplete'), 'node.orchestrator.orch-2.OnBidComplete/v1')
  t.equal(callbackSubject('orch-2', 'OnRunComplete'), 'node.orchestrator.orch-2.OnRunComplete/v1')
  t.equal(callbackSubject('orch-2', 'OnComputeFailure'), 'node.orchestrator.orch-2.OnComputeFailure/v1')
  t.equal(callbackWildcard('orch-2'), 'node.orchestrator.orch-2.*')
  t.strictSame([...CALLBACK_KINDS], ['OnBidComplete', 'OnRunComplete', 'OnComputeFailure'])
})

t.test("libp2p protocol ids are Bacalhau's", async (t) => {
  t.strictSame(COMPUTE_PROTOCOLS, {
    AskForBid: '/bacalhau/compute/ask_for_bid/1.0.0',
    BidAccepted: '/bacalhau/compute/bid_accepted/1.0.0',
  })
  t.equal(COMPUTE_PROTOCOLS.AskForBid, ASK_FOR_BID_PROTOCOL, 'the same id the plain ask_for_bid step uses')
  t.strictSame(CALLBACK_PROTOCOLS, {
    OnBidComplete: '/bacalhau/callback/on_bid_complete/1.0.0',
    OnRunComplete: '/bacalhau/callback/on_run_complete/1.0.0',
    OnComputeFailure: '/bacalhau/callback/on_compute_failure/1.0.0',
  })
})

t.test('reasonOf: call failure codes as reasons', async (t) => {
  t.equal(reasonOf('NO_RESPONDERS'), 'no_responders')
  t.equal(reasonOf('TIMEOUT'), 'timeout')
  t.equal(reasonOf('UNREACHABLE'), 'unreachable')
  t.equal(reasonOf('UNKNOWN'), 'unreachable')
  t.equal(reasonOf('REJECTED'), 'rejected')
  t.equal(reasonOf('CONNECTION_CLOSED'), 'error')
  t.equal(reasonOf(''), 'error')
  t.equal(reasonOf('timeout'), 'error', 'codes are case-sensitive')
})
