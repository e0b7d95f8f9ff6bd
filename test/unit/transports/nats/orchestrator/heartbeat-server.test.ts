import t from 'tap'
import { HeartbeatServer } from '../../../../../sim/transports/nats/orchestrator/heartbeat-server.ts'

const s = 1000 // one second

t.test('a node never heard from reads DISCONNECTED', async (t) => {
  const hb = new HeartbeatServer({ disconnectAfter: 30_000, second: s })
  t.equal(hb.connection('n1'), 'DISCONNECTED')
  t.equal(hb.lastSeen('n1'), null)
  t.strictSame(hb.check(1_000_000), [], 'and a check has nothing to mark')
  t.equal(hb.connection('n1'), 'DISCONNECTED')
})

t.test('a heartbeat makes it CONNECTED; a check marks it DISCONNECTED only once lastSecond + timeout < nowSecond', async (t) => {
  const hb = new HeartbeatServer({ disconnectAfter: 30_000, second: s })
  t.strictSame(hb.heartbeat('n1', 1, 100_999), { becameConnected: true, duplicate: false })
  t.equal(hb.connection('n1'), 'CONNECTED')
  t.equal(hb.lastSeen('n1'), 100_999)
  t.strictSame(hb.check(130_999), [], 'second 130: 100 + 30 is not < 130 (30.000 s after the heartbeat)')
  t.strictSame(hb.check(131_000), ['n1'], 'second 131: stale, though only 30.001 s passed')
  t.equal(hb.connection('n1'), 'DISCONNECTED')
  t.strictSame(hb.check(200_000), [], 'marked once')
  t.strictSame(hb.heartbeat('n1', 2, 201_000), { becameConnected: true, duplicate: false }, 'back on its next heartbeat')
})

t.test('the rounding is per whole second, so a heartbeat early in a second is stale later than 30 s after it', async (t) => {
  const hb = new HeartbeatServer({ disconnectAfter: 30_000, second: s })
  hb.heartbeat('early', 1, 100_000)
  hb.heartbeat('late', 1, 100_999)
  t.strictSame(hb.check(130_999), [], '30.999 s after the early one: not stale yet')
  t.strictSame(hb.check(131_000).sort(), ['early', 'late'], 'both at second 131')
})

t.test('a scaled second: at scale 0.1 the same arithmetic runs in 100 ms seconds', async (t) => {
  const hb = new HeartbeatServer({ disconnectAfter: 6_000, second: 100 })
  hb.heartbeat('n1', 1, 10_050)
  t.strictSame(hb.check(16_099), [], 'second 160: 100 + 60 is not < 160')
  t.strictSame(hb.check(16_100), ['n1'])
})

t.test('a repeated sequence is a duplicate (v1.5 sends each heartbeat on two subjects); any other is a heartbeat', async (t) => {
  const hb = new HeartbeatServer({ disconnectAfter: 30_000, second: s })
  hb.heartbeat('n1', 5, 100_000)
  t.strictSame(hb.heartbeat('n1', 5, 100_500), { becameConnected: false, duplicate: true })
  t.equal(hb.lastSeen('n1'), 100_000, 'a duplicate does not stamp')
  t.strictSame(hb.heartbeat('n1', 1, 101_000), { becameConnected: false, duplicate: false }, 'a restarted node starts again at 1')
  t.equal(hb.lastSeen('n1'), 101_000)
})
