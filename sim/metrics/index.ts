import type { SimEvent } from '../core/events.ts'
import { discoveryMetrics } from './discovery.ts'
import { failoverMetrics } from './failover.ts'
import type { MetricValue } from './metric-value.ts'
import { authMetrics } from './auth.ts'
import { bidMetrics } from './bids.ts'
import { jobMetrics } from './jobs.ts'
import { restartMetrics } from './restarts.ts'

export type { MetricValue } from './metric-value.ts'
export { nodeStarts, orchAddresses, orchsUpAt, ordered } from './metric-value.ts'
export { discoveryMetrics } from './discovery.ts'
export { failoverMetrics } from './failover.ts'
export { authMetrics } from './auth.ts'
export { restartMetrics } from './restarts.ts'
export { bidMetrics, bidFailures, type BidFailure } from './bids.ts'
export { jobMetrics, jobRecords, jobCounts, type JobRecord, type JobOutcome, type JobPhase } from './jobs.ts'
export { ALL_GROUP, METRIC_ORDER, summarize, type SummaryRow } from './summary.ts'

/** Every metric derivable from a run's events: discovery, failover, auth, restarts, bids (per node), jobs (per job). */
export const deriveMetrics = (events: SimEvent[]): MetricValue[] => [
  ...discoveryMetrics(events),
  ...failoverMetrics(events),
  ...authMetrics(events),
  ...restartMetrics(events),
  ...bidMetrics(events),
  ...jobMetrics(events),
]
export { checkAssertions, type AssertionResult } from './assertions.ts'
export { faultWindows, type FaultWindow } from './fault-windows.ts'
