import type { EventKind, SimEvent } from '../../../sim/core/events.ts'
import type { MetricValue } from '../../../sim/metrics/metric-value.ts'

/** Builds a SimEvent: `ev(12, 'node.connected', { node: 'n1', data: { server: 'h1:4222' } })`. */
import { event as ev } from '../../helpers/events.ts'
export { ev }

export const ready = (t: number, orch: string, client: string, joined = false): SimEvent => ev(t, 'orch.ready', { orch, data: { client, joined } })

export const mark = (t: number, orch: string, node: string, state: 'CONNECTED' | 'DISCONNECTED'): SimEvent =>
  ev(t, 'orch.node_state', { orch, node, data: { state } })

export const pool = (t: number, node: string, servers: string[]): SimEvent => ev(t, 'node.pool', { node, data: { servers } })

/** Values of one metric as `node -> value_ms` (in output order) for exact comparisons. */
export const byNode = (values: MetricValue[], metric: string): Record<string, number | null> =>
  Object.fromEntries(values.filter((v) => v.metric === metric).map((v) => [v.node, v.value_ms]))
