import { stringify } from 'csv-stringify/sync'
import type { SimEvent } from '../events.ts'
import type { MetricValue, SummaryRow } from '../metrics/index.ts'

/**
 * The CSV files of a run (schemas in the README; column order is stable, one header row).
 */
export const EVENTS_COLUMNS = ['t_ms', 'kind', 'node', 'orchestrator', 'data'] as const
export const SAMPLES_COLUMNS = ['run_id', 'scenario', 'group', 'node', 'metric', 'value_ms'] as const
export const SUMMARY_COLUMNS = [
  'scenario', 'transport', 'profile', 'backend', 'group', 'nodes', 'orchestrators', 'metric',
  'count', 'missing', 'min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean',
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
      ctx.scenario, ctx.transport, ctx.profile, ctx.backend, r.group, ctx.nodes[r.group] ?? 0, ctx.orchestrators, r.metric,
      r.count, r.missing, num(r.min), num(r.p50), num(r.p90), num(r.p95), num(r.p99), num(r.max), num(r.mean),
    ]),
  )
