/**
 * Scale benchmark (not a test): for each N, in one run of this script,
 *   - fleet start → every node registered and CONNECTED at every orchestrator
 *   - RSS per node of the compute workers
 *   - failover reconnect_ms p50/p99 after killing the orchestrator holding a third of the nodes
 *   - the harness's event-loop lag during the failover window
 *   - the same failover with bare nats.js clients (no netsim agent logic), and the p99 ratio
 *   - the same scenario with real nats.go clients (Bacalhau's client, the reference client of
 *     docs/calibration.md), and the p99 ratio; skipped, with the reason, where Go is missing
 *   - every metric's `missing` (no lost events)
 * Prints a table and writes reports/bench/bench-<run-id>.csv.
 *
 *   npm run bench                       # N = 1000, 5000, 10000, the `scale` scenario at time scale 1
 *   npm run bench -- --nodes 1000,3000 --time-scale 0.1 --scenario failover
 *   npm run bench -- --nodes 1000 --bare-subscriptions   # also bare clients with a node's 2 subscriptions
 *   npm run bench -- --no-go                             # without the nats.go reference
 *
 * Time scale 1 by default: Bacalhau's own timers. At 0.1 every node heartbeats ten times as
 * often as a real one, and at thousands of nodes that extra load, not netsim, is what the
 * servers spend their time on (see docs/performance.md).
 */
import { stringify } from 'csv-stringify/sync'
import { join, resolve } from 'node:path'
import { quantileSorted } from 'simple-statistics'
import { resolvePlan } from '../sim/config/resolve.ts'
import { runScenario } from '../sim/run/run-scenario.ts'
import { ConsoleReporter } from '../sim/report/console.ts'
import { findNatsServer } from '../sim/platform/nats-server-binary.ts'
import { newRunId } from '../sim/platform/run-dir.ts'
import { writeFileAtomic } from '../sim/platform/atomic-dir.ts'
import { bareFailover } from './bench/bare-failover.ts'
import { goFailover } from './bench/go-failover.ts'
import { buildGoref } from '../sim/fleet/goref-build.ts'
import { rssKb } from './bench/rss.ts'
import { waitForTimeWait } from './bench/time-wait.ts'

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : undefined
}
const sizes = (arg('nodes') ?? '1000,5000,10000').split(',').map(Number)
const timeScale = Number(arg('time-scale') ?? 1)
const scenario = arg('scenario') ?? 'scale'
const withSubs = process.argv.includes('--bare-subscriptions')
const goRef = process.argv.includes('--no-go')
  ? null
  : await buildGoref().then(
      () => true,
      (e: Error) => (process.stderr.write(`bench: no nats.go reference (${e.message})\n`), null),
    )
const binary = findNatsServer()
const out = resolve('reports')
const rows: Record<string, string | number>[] = []
const q = (xs: number[], p: number) => (xs.length === 0 ? NaN : quantileSorted(xs, p))
const r1 = (x: number) => Math.round(x * 10) / 10

for (const n of sizes) {
  const log = (s: string) => process.stderr.write(`${s}\n`)
  await waitForTimeWait({ log })
  process.stderr.write(`bench: ${n} nodes, netsim...\n`)
  const plan = resolvePlan({ scenario, nodes: n, seed: 1, time_scale: timeScale, reports_dir: join(out, 'bench', 'runs'), configFile: null })
  let idle = 0
  let loaded = 0
  const r = await runScenario(plan, {
    reporters: [new ConsoleReporter({ stream: process.stderr })],
    hooks: {
      fleetSpawned: async (pids) => {
        await new Promise((res) => setTimeout(res, 500)) // let the workers finish loading
        idle = pids.reduce((a, p) => a + rssKb(p), 0)
      },
      fleetReady: (pids) => {
        loaded = pids.reduce((a, p) => a + rssKb(p), 0)
      },
    },
  })
  const start = r.events.find((e) => e.kind === 'node.start')?.t ?? 0
  const discovered = r.events.find((e) => e.kind === 'step.end' && e.data.step.startsWith('wait_for discovered'))?.t ?? NaN
  const row = (m: string) => r.summary.find((s) => s.group === 'all' && s.metric === m)
  const failoverLag = r.lag.find((w) => w.window === 'recovered')
  const missing = r.summary
    .filter((s) => s.group === 'all' && !['closed_ms', 'flap_ms', 'orch_detect_ms'].includes(s.metric))
    .reduce((a, s) => a + s.missing, 0)
  await waitForTimeWait({ log })
  process.stderr.write(`bench: ${n} nodes, bare nats.js clients...\n`)
  const bare = await bareFailover({ binary, nodes: n, workers: plan.workers, timeScale })
  let subs: number[] = []
  if (withSubs) {
    await waitForTimeWait({ log })
    process.stderr.write(`bench: ${n} nodes, bare clients with a node's subscriptions...\n`)
    subs = await bareFailover({ binary, nodes: n, workers: plan.workers, timeScale, subscriptions: true })
  }
  let go: Awaited<ReturnType<typeof goFailover>> | null = null
  if (goRef) {
    await waitForTimeWait({ log })
    process.stderr.write(`bench: ${n} nodes, real nats.go clients (the reference client)...\n`)
    go = await goFailover(plan)
  }
  const rec = row('reconnect_ms')
  rows.push({
    nodes: n,
    time_scale: timeScale,
    workers: plan.workers,
    start_to_visible_s: r1((discovered - start) / 1000),
    rss_per_node_kb: r1((loaded - idle) / n),
    netsim_reconnect_p50_ms: r1(rec?.p50 ?? NaN),
    netsim_reconnect_p99_ms: r1(rec?.p99 ?? NaN),
    bare_reconnect_p50_ms: r1(q(bare, 0.5)),
    bare_reconnect_p99_ms: r1(q(bare, 0.99)),
    bare_reconnected: bare.length,
    p99_ratio: Math.round(((rec?.p99 ?? NaN) / q(bare, 0.99)) * 100) / 100,
    ...(withSubs
      ? {
          bare_subs_reconnect_p50_ms: r1(q(subs, 0.5)),
          bare_subs_reconnect_p99_ms: r1(q(subs, 0.99)),
          p99_ratio_vs_subs: Math.round(((rec?.p99 ?? NaN) / q(subs, 0.99)) * 100) / 100,
        }
      : {}),
    ...(go
      ? {
          go_reconnect_p50_ms: r1(go.p50),
          go_reconnect_p99_ms: r1(go.p99),
          go_reconnected: go.reconnected,
          go_rss_per_node_kb: r1(go.rssPerNodeKb),
          p99_ratio_vs_go: Math.round(((rec?.p99 ?? NaN) / go.p99) * 100) / 100,
        }
      : {}),
    failover_lag_max_ms: failoverLag?.lag_max_ms ?? NaN,
    failover_lag_p99_ms: failoverLag?.lag_p99_ms ?? NaN,
    missing_values: missing,
    passed: r.passed ? 'yes' : 'no',
  })
}

const cols = Object.keys(rows[0] ?? {})
const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)))
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i] as number)).join('  ')
console.log(line(cols))
for (const r of rows) console.log(line(cols.map((c) => String(r[c]))))
const file = join(out, 'bench', `bench-${newRunId()}.csv`)
writeFileAtomic(file, stringify([cols, ...rows.map((r) => cols.map((c) => r[c]))]))
console.log(`bench: ${file}`)
