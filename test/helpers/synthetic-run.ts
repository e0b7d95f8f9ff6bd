import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimEvent } from '../../sim/core/events.ts'
import { checkAssertions, deriveMetrics, summarize } from '../../sim/metrics/index.ts'
import { eventsCsv, samplesCsv, summaryCsv } from '../../sim/report/format/csv.ts'
import { event as e } from './events.ts'

/**
 * A report folder of a `scale`-like run made up in the test, at any size: N nodes spread over
 * three orchestrators, all discovered, orch-0 killed, its nodes back on the
 * survivors within a few seconds, heartbeats every 15 s (time scale 1), nodes stopped at the
 * end. The events are synthetic; the metrics, summary and files are the real code's, so the
 * folder is what a run of that size writes.
 */
export interface SyntheticRun {
  dir: string
  events: number
  nodes: number
}

/** A small deterministic generator (the same folder every time). */
const lcg = (seed: number) => () => {
  seed = (seed * 1664525 + 1013904223) % 4294967296
  return seed / 4294967296
}

export const syntheticScaleRun = (root: string, nodes: number, runId = '20261201-000000-synth0'): SyntheticRun => {
  const rnd = lcg(7)
  const orchs = ['orch-0', 'orch-1', 'orch-2']
  const addr = (k: number) => `127.0.0.1:${4222 + k}`
  const ev: SimEvent[] = [e(0, 'run.start', { data: { run_id: runId, scenario: 'scale', transport: 'nats' } })]
  orchs.forEach((o, k) => {
    ev.push(e(1, 'orch.start', { orch: o, data: { joined: false } }))
    ev.push(e(2 + k, 'orch.ready', { orch: o, data: { client: addr(k), joined: false } }))
  })
  const startSpan = 12_000 // a 10,000-node start takes ~12 s (docs/performance.md)
  const fault = startSpan + 3_000
  const end = fault + 20_000
  for (let i = 0; i < nodes; i++) {
    const node = `compute-${String(i).padStart(5, '0')}`
    const t0 = 100 + (i / nodes) * startSpan
    const home = i % 3
    const c = t0 + 20 + rnd() * 200
    ev.push(e(t0, 'node.start', { node, data: { group: 'compute' } }))
    ev.push(e(c, 'node.connected', { node, data: { server: addr(home) } }))
    ev.push(e(c + 5, 'node.pool', { node, data: { servers: orchs.map((_, k) => addr(k)) } }))
    ev.push(e(c + 10 + rnd() * 50, 'node.registered', { node, data: { accepted: true, orchestrator: orchs[home] } }))
    for (const [k, o] of orchs.entries()) ev.push(e(c + 15 + k * 5 + rnd() * 100, 'orch.node_state', { orch: o, node, data: { state: 'CONNECTED' } }))
    if (home === 0) {
      const gone = fault + 1 + rnd() * 10
      const back = gone + 50 + rnd() * rnd() * 3_000
      const to = rnd() < 0.5 ? 1 : 2
      ev.push(e(gone, 'node.disconnected', { node, data: { server: addr(0) } }))
      ev.push(e(gone + 1, 'node.reconnecting', { node, data: { server: addr(0) } }))
      ev.push(e(back, 'node.reconnected', { node, data: { server: addr(to) } }))
      ev.push(e(back + rnd() * 15_000, 'orch.heartbeat', { orch: orchs[to] as string, node, data: { seq: 2 } }))
    }
    ev.push(e(end + rnd() * 200, 'node.stopped', { node }))
  }
  ev.push(e(fault - 1, 'mark', { data: { name: 'steady' } }))
  ev.push(e(fault, 'fault.apply', { orch: 'orch-0', data: { type: 'kill', target_kind: 'orchestrator', id: 'f1', disruptive: true } }))
  ev.push(e(fault, 'orch.down', { orch: 'orch-0', data: { reason: 'kill' } }))
  ev.sort((a, b) => a.t - b.t)

  const values = deriveMetrics(ev)
  const summary = summarize(values, ['compute'])
  const planned = [
    { metric: 'reconnect_ms', stat: 'missing' as const, group: 'all', equals: 0, text: 'all.reconnect_ms.missing == 0' },
    { metric: 'reconnect_ms', stat: 'p99' as const, group: 'all', max: 4_000, text: 'all.reconnect_ms.p99 <= 4s' },
  ]
  const assertions = checkAssertions(planned, summary)
  const dir = join(root, 'scale', runId)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'events.csv'), eventsCsv(ev))
  writeFileSync(join(dir, 'samples.csv'), samplesCsv(runId, 'scale', values))
  writeFileSync(
    join(dir, 'summary.csv'),
    summaryCsv(
      { scenario: 'scale', transport: 'nats', profile: 'v1.5', backend: 'process', orchestrators: 3, nodes: { compute: nodes, all: nodes } },
      summary,
    ),
  )
  const run = {
    run_id: runId,
    scenario: 'scale',
    passed: assertions.every((a) => a.ok),
    started_at: '2026-12-01T00:00:00.000Z',
    duration_ms: end + 500,
    seed: 7,
    config: {
      transport: 'nats',
      backend: 'process',
      profile: 'v1.5',
      timeScale: 1,
      orchestrators: { count: 3 },
      groups: [{ name: 'compute', count: nodes }],
      scenario: { name: 'scale', description: `synthetic ${nodes}-node run (test/helpers/synthetic-run.ts)` },
      assertions: planned,
    },
    assertions,
    timeouts: [],
  }
  writeFileSync(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n')
  return { dir, events: ev.length, nodes }
}
