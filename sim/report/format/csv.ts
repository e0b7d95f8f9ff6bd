import { stringify } from 'csv-stringify/sync'
import type { SimEvent } from '../../core/events.ts'
import type { JobRecord, MetricValue, SummaryRow } from '../../metrics/index.ts'

/**
 * The CSV files of a run (schemas in docs/reports.md; column order is stable, one header row).
 */
export const EVENTS_COLUMNS = ['t_ms', 'kind', 'node', 'orchestrator', 'data'] as const
export const SAMPLES_COLUMNS = ['run_id', 'scenario', 'group', 'node', 'metric', 'value_ms'] as const
export const ERRORS_COLUMNS = ['run_id', 'scenario', 'group', 'node', 't_ms', 'kind', 'phase', 'code'] as const
export const SUMMARY_COLUMNS = [
  'scenario',
  'transport',
  'profile',
  'backend',
  'group',
  'nodes',
  'orchestrators',
  'metric',
  'count',
  'missing',
  'min',
  'p50',
  'p90',
  'p95',
  'p99',
  'max',
  'mean',
] as const

export const JOBS_COLUMNS = [
  'run_id',
  'scenario',
  'job',
  'orchestrator',
  'node',
  'group',
  'submit_ms',
  'phase',
  'outcome',
  'reason',
  'latency_ms',
  'node_done_ms',
] as const

const csv = (columns: readonly string[], rows: unknown[][]): string => stringify([columns as string[], ...rows])

export const eventsCsv = (events: SimEvent[]): string =>
  csv(
    EVENTS_COLUMNS,
    events.map((e) => [e.t.toFixed(3), e.kind, e.node ?? '', e.orch ?? '', e.data === undefined ? '' : JSON.stringify(e.data)]),
  )

export const samplesCsv = (runId: string, scenario: string, values: MetricValue[]): string =>
  csv(
    SAMPLES_COLUMNS,
    values.filter((v) => v.value_ms !== null).map((v) => [runId, scenario, v.group, v.node, v.metric, (v.value_ms as number).toFixed(3)]),
  )

/** One row per submitted job (sim/metrics/jobs.ts): what a fault did to the work in flight. */
export const jobsCsv = (runId: string, scenario: string, jobs: readonly JobRecord[]): string =>
  csv(
    JOBS_COLUMNS,
    jobs.map((j) => [
      runId,
      scenario,
      j.job,
      j.orchestrator,
      j.node,
      j.group,
      j.submit_ms.toFixed(3),
      j.phase,
      j.outcome,
      j.reason,
      j.latency_ms === null ? '' : j.latency_ms.toFixed(3),
      j.node_done_ms === null ? '' : j.node_done_ms.toFixed(3),
    ]),
  )

export interface SummaryContext {
  scenario: string
  transport: string
  profile: string
  backend: string
  orchestrators: number
  /** nodes per group, and the total under `all` */
  nodes: Record<string, number>
}

const num = (x: number | null): string => (x === null ? '' : String(x))

export const summaryCsv = (ctx: SummaryContext, rows: SummaryRow[]): string =>
  csv(
    SUMMARY_COLUMNS,
    rows.map((r) => [
      ctx.scenario,
      ctx.transport,
      ctx.profile,
      ctx.backend,
      r.group,
      ctx.nodes[r.group] ?? 0,
      ctx.orchestrators,
      r.metric,
      r.count,
      r.missing,
      num(r.min),
      num(r.p50),
      num(r.p90),
      num(r.p95),
      num(r.p99),
      num(r.max),
      num(r.mean),
    ]),
  )

/**
 * An error worth a row: a node's connection or registration failing, its client closing, or an
 * orchestrator's ask_for_bid call to it failing. `phase` as errors.csv writes it, `tally` as the
 * console counts it (`connect`, `register`, `closed`, `ask_for_bid`...), `code` the error's code.
 */
const nodeError = (e: SimEvent): { node: string; phase: string; tally: string; code: string } | null => {
  switch (e.kind) {
    case 'node.error':
      return { node: e.node, phase: e.data.phase, tally: e.data.phase, code: e.data.code }
    case 'node.register_failed':
      return { node: e.node, phase: '', tally: 'register', code: e.data.code }
    case 'node.closed':
      return { node: e.node, phase: '', tally: 'closed', code: e.data.reason }
    case 'orch.bid':
      return e.data.ok ? null : { node: e.node, phase: 'ask_for_bid', tally: 'ask_for_bid', code: e.data.code }
    default:
      return null
  }
}

/** One row per node error (code only: messages may quote servers, and stay in events.csv). */
export const errorsCsv = (runId: string, scenario: string, events: SimEvent[]): string => {
  const groups = new Map<string, string>()
  const rows: unknown[][] = []
  for (const e of events) {
    if (e.kind === 'node.start') groups.set(e.node, e.data.group)
    const err = nodeError(e)
    if (err !== null) rows.push([runId, scenario, groups.get(err.node) ?? '', err.node, e.t.toFixed(3), e.kind, err.phase, err.code])
  }
  return csv(ERRORS_COLUMNS, rows)
}

/** Per group, how many nodes ended with each error: `{ group: { "connect AUTHORIZATION_VIOLATION": n } }`. */
export const errorCounts = (events: SimEvent[]): Map<string, Map<string, number>> => {
  const groups = new Map<string, string>()
  const out = new Map<string, Map<string, number>>()
  for (const e of events) {
    if (e.kind === 'node.start') groups.set(e.node, e.data.group)
    const err = nodeError(e)
    if (err === null) continue
    const g = groups.get(err.node) ?? ''
    const key = `${err.tally} ${err.code}`
    const m = out.get(g) ?? new Map<string, number>()
    m.set(key, (m.get(key) ?? 0) + 1)
    out.set(g, m)
  }
  return out
}
