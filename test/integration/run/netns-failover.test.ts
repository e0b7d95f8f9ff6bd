import t from 'tap'
import { dataOf } from '../../helpers/events.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { namespaceOf, namespacesOfRun, skipWithoutNetns } from '../netns-available.ts'

/**
 * A small failover on the netns backend: orchestrators and the compute group each in their own
 * namespace, on 127.200.x.y; the kill is a signal as on the process backend. Nothing of the run
 * is left in `ip netns list` afterwards.
 */

t.test('failover on netns: hosts in their namespaces, nodes fail over, namespaces removed', await skipWithoutNetns(), async (t) => {
  const out = t.testdir()
  const plan = resolvePlan({ scenario: 'failover', backend: 'netns', nodes: 12, seed: 3, reports_dir: out, configFile: null, workers: 2 })
  let runId = ''
  let placedIn: string[] = []
  const r = await runScenario(plan, {
    quiet: true,
    hooks: {
      fleetSpawned: (pids) => {
        placedIn = pids.map(namespaceOf)
        runId = /netsim-(\d{8}-\d{6}-[0-9a-f]{6})-/.exec(placedIn[0] ?? '')?.[1] ?? ''
      },
    },
  })
  t.equal(r.passed, true, 'the scenario passes', { failed: r.assertions.filter((a) => !a.ok), timeouts: r.timeouts })
  t.equal(r.plan.backend, 'netns')
  t.same(placedIn, [`netsim-${r.runId}-g0`, `netsim-${r.runId}-g0`], 'both workers of the one group run in its namespace')
  t.equal(runId, r.runId)
  const ready = r.events.filter((e) => e.kind === 'orch.ready').map((e) => String(dataOf(e)['client']))
  t.ok(ready.length >= 3 && ready.every((c) => /^127\.200\.0\.[1-3]:\d+$/.test(c)), `orchestrators on their namespace addresses: ${ready.join(' ')}`)
  const registered = r.events.filter((e) => e.kind === 'node.connected').map((e) => String(dataOf(e)['server']))
  t.ok(registered.length >= 12 && registered.every((s) => s.startsWith('127.200.0.')), 'nodes dial 127.200.0.x')
  t.same(namespacesOfRun(r.runId), [], 'nothing of the run in `ip netns list`')
})
