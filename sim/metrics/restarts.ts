import type { SimEvent } from '../core/events.ts'
import { firstIn, indexByNode, ordered, type MetricValue } from './metric-value.ts'

/**
 * Metrics of nodes starting again and of registrations that fail (docs/reports.md, "Metrics"):
 *
 * - `register_failed_ms`: for a node not meant to be refused, its (re)start → its RegisterNode
 *   failing (an error or a timeout; a node meant to be refused is measured by `reject_ms`).
 *   Rows only for failures: its count is how many registrations failed. In Bacalhau a failed
 *   registration stops the node for good.
 * - `rejoin_ms`: for each node restarted by a `restart_nodes` step, the restart → the first
 *   heartbeat an orchestrator accepted from its new life (after its next start). Missing when
 *   none did (its registration failed, or it sends no heartbeats).
 */
export const restartMetrics = (events: SimEvent[]): MetricValue[] => {
  const evs = ordered(events)
  const byNode = indexByNode(evs)
  const out: MetricValue[] = []
  for (const [node, mine] of byNode) {
    let group = ''
    let rejected = false
    let since: number | null = null
    for (const { i, e } of mine) {
      if (e.kind === 'node.start') {
        group = e.data.group
        rejected = e.data.expect === 'rejected'
        since ??= e.t
      } else if (e.kind === 'node.restart') {
        since = e.t
        // a heartbeat of its new life: after its next start (one of the old life may still arrive)
        const next = firstIn(mine, i, (x) => x.kind === 'node.start')
        const back = next && firstIn(mine, next.i, (x) => x.kind === 'orch.heartbeat')
        out.push({ node, group, metric: 'rejoin_ms', value_ms: back === undefined ? null : back.e.t - e.t })
      } else if (e.kind === 'node.register_failed' && !rejected) {
        out.push({ node, group, metric: 'register_failed_ms', value_ms: e.t - (since ?? e.t) })
      }
    }
  }
  return out
}
