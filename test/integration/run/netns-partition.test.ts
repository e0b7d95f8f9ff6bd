import t from 'tap'
import { readFileSync } from 'node:fs'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { namespacesOfRun, skipWithoutNetns } from '../netns-available.ts'

/**
 * A small partition on the netns backend: the edge group's black hole is a kernel cut between
 * its namespace and each orchestrator's (no link process, no proxies), seen by the clients'
 * pings and the orchestrators' heartbeat timeout exactly as the proxy's would be.
 */

t.test('partition on netns: a kernel black hole, detected by pings and heartbeats, healed', await skipWithoutNetns(), async (t) => {
  const out = t.testdir()
  const plan = resolvePlan({
    scenario: 'partition',
    backend: 'netns',
    nodes: 12,
    seed: 5,
    time_scale: 0.05,
    reports_dir: out,
    configFile: null,
    workers: 2,
    timers: { ping_interval: '20s' },
  })
  let commands: string[] = []
  const r = await runScenario(plan, {
    quiet: true,
    hooks: {
      fleetReady: (pids) => {
        const runId = /\d{8}-\d{6}-[0-9a-f]{6}/.exec(readFileSync(`/proc/${pids[0]}/cmdline`, 'utf8'))?.[0] ?? ''
        commands = processesOfRun(runId).map((pid) => {
          try {
            return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')
          } catch {
            return ''
          }
        })
      },
    },
  })
  t.equal(r.passed, true, "the scenario's own assertions hold", { failed: r.assertions.filter((a) => !a.ok), timeouts: r.timeouts })
  t.ok(commands.length > 0 && !commands.some((c) => c.includes('link-main.ts')), "no link process: the cut is the kernel's")
  const apply = r.events.find((e) => e.kind === 'fault.apply')
  t.match(apply?.data, { type: 'blackhole', target_kind: 'link', group: 'edge' }, 'recorded like any link fault')
  t.ok(
    r.events.some((e) => e.kind === 'fault.heal'),
    'and its heal',
  )
  const detect = r.summary.find((s) => s.group === 'edge' && s.metric === 'detect_ms')
  const ping = plan.timers.ping_interval
  t.ok((detect?.min ?? 0) >= 2 * ping - 300, `silent: detected by missed pings (min ${detect?.min} ms, ping ${ping} ms)`)
  const core = r.summary.find((s) => s.group === 'core' && s.metric === 'detect_ms')
  t.equal(core?.count ?? 0, 0, 'the core group was not cut')
  t.same(namespacesOfRun(r.runId), [], 'nothing of the run in `ip netns list`')
})
