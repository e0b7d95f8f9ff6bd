import t from 'tap'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { skipWithoutNats } from '../nats-available.ts'

/** detect_ms of the edge group with a given ping interval (Bacalhau units), at time scale 0.05. */
const partition = async (out: string, pingInterval: string) => {
  const plan = resolvePlan({
    scenario: 'partition',
    nodes: 12,
    seed: 5,
    time_scale: 0.05,
    reports_dir: out,
    configFile: null,
    workers: 1,
    timers: { ping_interval: pingInterval },
  })
  const r = await runScenario(plan, { quiet: true })
  const row = (metric: string) => r.summary.find((s) => s.group === 'edge' && s.metric === metric)
  return {
    r,
    ping: plan.timers.ping_interval,
    detect: row('detect_ms'),
    orchDetect: row('orch_detect_ms'),
    disconnectAfter: plan.timers.disconnect_after as number,
  }
}

t.test('partition: client detection follows the ping interval, orchestrator detection the heartbeat timeout', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const fast = await partition(out, '20s') // 1 s scaled
  const slow = await partition(out, '40s') // 2 s scaled
  for (const run of [fast, slow]) {
    t.equal(run.r.passed, true, `the scenario's own assertions hold at ping ${run.ping} ms`, {
      failed: run.r.assertions.filter((a) => !a.ok),
      timeouts: run.r.timeouts,
    })
    const p50 = run.detect?.p50 as number
    // A black hole is seen only when max_pings_out (2) pings go unanswered: 2..3 ping intervals.
    t.ok(p50 >= 2 * run.ping - 300 && p50 <= 3 * run.ping + 500, `detect p50 ${p50} ms within [2, 3] x ping ${run.ping} ms`)
    const o = run.orchDetect?.p50 as number
    t.ok(
      o >= run.disconnectAfter - 800 && o <= run.disconnectAfter + 1_500,
      `orchestrator detection ${o} ms ~ disconnect_after ${run.disconnectAfter} ms`,
    )
  }
  const ratio = (slow.detect?.p50 as number) / (fast.detect?.p50 as number)
  t.ok(ratio > 1.5 && ratio < 2.6, `doubling the ping interval roughly doubles detection (x${ratio.toFixed(2)})`)
})
