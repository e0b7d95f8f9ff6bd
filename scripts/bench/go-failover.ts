import type { RunPlan } from '../../sim/plan/run-plan.ts'
import { runScenario } from '../../sim/run/run-scenario.ts'
import { ConsoleReporter } from '../../sim/report/console.ts'
import { rssKb } from './rss.ts'

/**
 * The benchmark's third reference: the same scenario (cluster, fault, seed) with real nats.go
 * clients in the reference client (`client: nats.go`, sim/fleet/goref/), measured by the same
 * metric code as netsim's run. Where bare nats.js clients bound what nats.js itself costs, these
 * are what Bacalhau's own client does.
 */
export const goFailover = async (plan: RunPlan): Promise<{ p50: number; p99: number; reconnected: number; rssPerNodeKb: number }> => {
  let idle = 0
  let loaded = 0
  const nodes = plan.groups.reduce((a, g) => a + g.count, 0)
  const r = await runScenario(
    { ...plan, client: 'nats.go' },
    {
      reporters: [new ConsoleReporter({ stream: process.stderr })],
      hooks: {
        fleetSpawned: async (pids) => {
          await new Promise((res) => setTimeout(res, 200))
          idle = pids.reduce((a, p) => a + rssKb(p), 0)
        },
        fleetReady: (pids) => {
          loaded = pids.reduce((a, p) => a + rssKb(p), 0)
        },
      },
    },
  )
  const rec = r.summary.find((s) => s.group === 'all' && s.metric === 'reconnect_ms')
  return { p50: rec?.p50 ?? NaN, p99: rec?.p99 ?? NaN, reconnected: rec?.count ?? 0, rssPerNodeKb: (loaded - idle) / nodes }
}
