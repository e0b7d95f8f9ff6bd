/** HTML reports: one self-contained file per run (report.html) or compare (compare.html), and the reports index. */
export { renderRunHtml, writeRunHtml, runCdfSeries } from './run-html.ts'
export { renderCompareHtml, compareTable, type CompareHtmlOptions } from './compare-html.ts'
export { cdfPoints, cdfSpec, cdfSvg, MAX_CDF_POINTS, type CdfSeries } from './cdf-chart.ts'
export { cdfPanelsSpec, cdfPanelsSvg, byPhase, phaseOf, PHASES, type CdfPanel } from './cdf-panels.ts'
export {
  nodeSegments,
  faultBands,
  moments,
  sampleEvenly,
  runEnd,
  orchNames,
  type NodeState,
  type Segment,
  type FaultBand,
  type Moment,
} from './segments.ts'
export { timelineData, timelineSpec, timelineSvg, MAX_TIMELINE_NODES, type TimelineData } from './timeline.ts'
export { orchLoad, orchLoadSpec, orchLoadSvg, UNATTACHED, type OrchLoad } from './orch-load.ts'
export { recoveryFaults, recoveryLimits, type RecoveryFault, type RecoveryCurve, type Limit } from './recovery.ts'
export { recoverySpec, recoverySvg, type RecoveryPanel } from './recovery-chart.ts'
export { vegaLiteToSvg } from './vega-svg.ts'
