/**
 * `compare`: two runs, or a run and a stored baseline, side by side, with a verdict per metric
 * that CI can gate on (docs/reports.md).
 */
export { compareReports, compareToBaseline, type CompareOptions, type CompareResult, type CompareMeta } from './compare-reports.ts'
export { compareSides, type CompareRow, type Verdict } from './compare-sides.ts'
export { COMPARE_COLUMNS, compareCsv, parseCompareCsv } from '../report/format/compare-csv.ts'
export { formatCompareTable } from './format-table.ts'
export { loadSide, type CompareSide } from './load-side.ts'
export { rankSumTest, midRanks, type RankSumResult } from './rank-sum-test.ts'
export {
  CompareSettingsSchema,
  MetricToleranceSchema,
  DEFAULT_COMPARE_SETTINGS,
  DEFAULT_COUNT_METRICS,
  PERCENTILES,
  parseCompareSettings,
  toleranceFor,
  type CompareSettings,
  type CompareSettingsInput,
  type Tolerance,
  type Percentile,
} from '../config/compare-settings.ts'
export {
  parseSamplesCsv,
  parseSummaryCsv,
  parseEventsCsv,
  parseErrorsCsv,
  readSamples,
  readSummary,
  readEvents,
  readErrors,
  readRunInfo,
  type Sample,
  type SummaryRecord,
  type ErrorRecord,
  type RunInfo,
} from '../report/format/report-files.ts'
