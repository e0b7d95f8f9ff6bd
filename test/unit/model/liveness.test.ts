import t from 'tap'
import { derivedCheckPeriod, disconnectedUnder, isStale, runsHeartbeatServer, secondMs, wholeSeconds } from '../../../sim/model/liveness.ts'

t.test('whole seconds: truncated, and a second scales with the run', async (t) => {
  t.equal(wholeSeconds(1_700_000_000_999, 1000), 1_700_000_000, 'truncated, not rounded')
  t.equal(wholeSeconds(1_700_000_001_000, 1000), 1_700_000_001)
  t.equal(secondMs(1), 1000)
  t.equal(secondMs(0.1), 100, 'at scale 0.1 a second is 100 ms')
  t.equal(wholeSeconds(1_700_000_000_099, secondMs(0.1)), 17_000_000_000)
})

t.test('stale only when lastSecond + timeout < nowSecond: strict, on whole seconds', async (t) => {
  const s = 1000
  const T = 30_000
  // last heartbeat anywhere within second 100
  t.notOk(isStale(100, 130_999, T, s), 'now at second 130: 100 + 30 = 130 is not < 130')
  t.ok(isStale(100, 131_000, T, s), 'second 131: stale')
  t.equal(disconnectedUnder(131_000, T, s), 101)
  // so a heartbeat at 100.999 s and one at 100.000 s go stale together, at 131.000 s
  t.notOk(isStale(wholeSeconds(100_999, s), 130_999, T, s))
  t.ok(isStale(wholeSeconds(100_000, s), 131_000, T, s))
  // 30.001 s of silence can be fresh (100.999 → 131.000 is 30.001 s) and 30.999 s too (100.000 → 130.999)
  t.notOk(isStale(wholeSeconds(100_000, s), 130_999, T, s), '30.999 s of silence, not yet stale')
})

t.test('scaled: the same arithmetic in 100 ms seconds at scale 0.1', async (t) => {
  const s = secondMs(0.1)
  const T = 3_000 // 30 s scaled
  t.notOk(isStale(1000, 103_099, T, s), 'second 1030 (of 100 ms): not stale')
  t.ok(isStale(1000, 103_100, T, s), 'second 1031: stale')
})

t.test('which orchestrators run a heartbeat server (and so read liveness from heartbeats alone)', async (t) => {
  t.ok(runsHeartbeatServer({ heartbeatSubjects: ['heartbeat'], checkPeriod: 30_000, disconnectAfter: 30_000 }))
  t.notOk(runsHeartbeatServer({ heartbeatSubjects: [], checkPeriod: null, disconnectAfter: null }), 'v1.3.0: no heartbeat server')
  t.notOk(runsHeartbeatServer({ heartbeatSubjects: ['heartbeat'], checkPeriod: null, disconnectAfter: 30_000 }), 'no check, no liveness')
})

t.test("v1.5's derived check period: timeout / 3 within 1-30 s", async (t) => {
  t.equal(derivedCheckPeriod(60_000), 20_000, "v1.5's default 1 min timeout: 20 s")
  t.equal(derivedCheckPeriod(30_000), 10_000)
  t.equal(derivedCheckPeriod(2_999), 1_000, 'never under 1 s')
  t.equal(derivedCheckPeriod(3_000), 1_000)
  t.equal(derivedCheckPeriod(90_000), 30_000)
  t.equal(derivedCheckPeriod(600_000), 30_000, 'never over 30 s')
})
