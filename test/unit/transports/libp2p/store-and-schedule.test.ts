import t from 'tap'
import { NodeInfoStore } from '../../../../sim/transports/libp2p/node-info-store.ts'
import { publishOffsets } from '../../../../sim/transports/libp2p/info-schedule.ts'
import { LIBP2P_TIMERS, resolveLibp2pTimers } from '../../../../sim/model/libp2p-timers.ts'
import { dialErrorCode } from '../../../../sim/transports/libp2p/dial-error.ts'
import { encodeFrame, MAX_FRAME, FrameError } from '../../../../sim/transports/libp2p/framing.ts'
import { decodeNodeInfo, encodeNodeInfo } from '../../../../sim/transports/libp2p/protocol.ts'

t.test('timers: Bacalhau defaults, cadences scaled, round-trip bounds not', async (t) => {
  t.equal(LIBP2P_TIMERS.redial_interval, 10_000)
  t.equal(LIBP2P_TIMERS.info_interval, 30_000)
  t.equal(LIBP2P_TIMERS.info_eager_interval, 5_000)
  t.equal(LIBP2P_TIMERS.info_eager_duration, 30_000)
  t.equal(LIBP2P_TIMERS.store_ttl, 600_000)
  const s = resolveLibp2pTimers(0.01)
  t.strictSame(
    [s.redial_interval, s.info_interval, s.info_eager_interval, s.info_eager_duration, s.store_ttl, s.store_check_interval],
    [100, 300, 50, 300, 6_000, 100],
  )
  t.equal(s.dial_timeout, LIBP2P_TIMERS.dial_timeout, 'dial timeout unscaled')
  t.equal(s.request_timeout, LIBP2P_TIMERS.request_timeout, 'request timeout unscaled')
  t.equal(resolveLibp2pTimers(0.01, { redial_interval: 300_000 }).redial_interval, 3_000, 'overrides are in real units, then scaled')
  t.equal(resolveLibp2pTimers(0.000001).info_eager_interval, 1, 'never below 1 ms')
  t.equal(LIBP2P_TIMERS.redial_interval, 10_000, 'defaults not mutated')
})

t.test('publish schedule: eager ticks inside the first 30 s, then every 30 s from there', async (t) => {
  t.strictSame(publishOffsets(LIBP2P_TIMERS, 130_000), [5_000, 10_000, 15_000, 20_000, 25_000, 60_000, 90_000, 120_000])
  t.strictSame(publishOffsets(LIBP2P_TIMERS, 4_999), [], 'nothing at start')
  t.strictSame(
    publishOffsets({ info_interval: 10, info_eager_interval: 0, info_eager_duration: 0 } as never, 35).slice(0, 3),
    [10, 20, 30],
    'no eager phase',
  )
})

t.test('node-info store: add, duplicates, restarts, expiry', async (t) => {
  const s = new NodeInfoStore(1_000)
  t.strictSame(s.add('n1', 'p1', 1, 0), { added: true, duplicate: false })
  t.strictSame(s.add('n1', 'p1', 1, 10), { added: false, duplicate: true }, 'same Seq twice')
  t.equal(s.get('n1')?.lastSeen, 0, 'a duplicate does not refresh')
  t.strictSame(s.add('n1', 'p1', 2, 500), { added: false, duplicate: false })
  t.strictSame(s.expire(1_500), [], 'exactly TTL old is kept')
  t.strictSame(s.expire(1_501), ['n1'])
  t.equal(s.size, 0)
  t.strictSame(s.add('n1', 'p1', 3, 2_000), { added: true, duplicate: false }, 'back after expiry: added again')
  t.strictSame(s.add('n1', 'p1', 1, 2_100), { added: false, duplicate: false }, 'a lower Seq is a restarted node, not a duplicate')
  t.strictSame(
    s.list().map((r) => [r.nodeId, r.seq]),
    [['n1', 1]],
  )
})

t.test('dial error codes', async (t) => {
  const e = (name: string, message = '', extra: object = {}) => Object.assign(new Error(message), { name }, extra)
  t.equal(dialErrorCode(e('Error', 'connect ECONNREFUSED 127.0.0.1:1', { code: 'ECONNREFUSED' })), 'CONNECTION_REFUSED')
  t.equal(dialErrorCode(e('NoValidAddressesError')), 'NO_ADDRESSES')
  t.equal(dialErrorCode(e('EncryptionFailedError', 'Payload identity key X does not match expected remote identity key Y')), 'PEER_ID_MISMATCH')
  t.equal(dialErrorCode(e('TimeoutError')), 'TIMEOUT')
  t.equal(dialErrorCode(e('AbortError')), 'TIMEOUT')
  t.equal(
    dialErrorCode(Object.assign(new AggregateError([e('Error', 'x', { code: 'ECONNREFUSED' })]), {})),
    'CONNECTION_REFUSED',
    'the first inner error decides',
  )
  t.equal(dialErrorCode(e('SomethingNew')), 'DIAL_FAILED')
  t.equal(dialErrorCode(undefined), 'DIAL_FAILED')
})

t.test('frames and node-info messages', async (t) => {
  const f = encodeFrame({ a: 1 })
  t.equal(new DataView(f.buffer).getUint32(0), f.byteLength - 4, '4-byte big-endian length')
  t.equal(new TextDecoder().decode(f.subarray(4)), '{"a":1}')
  t.throws(() => encodeFrame('x'.repeat(MAX_FRAME)), FrameError)
  t.strictSame(decodeNodeInfo(encodeNodeInfo({ NodeID: 'n', PeerID: 'p', Seq: 3 })), { NodeID: 'n', PeerID: 'p', Seq: 3 })
  t.equal(decodeNodeInfo(new TextEncoder().encode('{"NodeID":"n"}')), null, 'incomplete')
  t.equal(decodeNodeInfo(new TextEncoder().encode('not json')), null, 'garbage')
})
