/** HTML reports: one self-contained file per run (report.html) or compare (compare.html). */
export { renderRunHtml, writeRunHtml, runCdfSeries } from './run-html.ts'
export { renderCompareHtml, compareTable, type CompareHtmlOptions } from './compare-html.ts'
export { cdfPoints, cdfSpec, cdfSvg, MAX_CDF_POINTS, type CdfSeries } from './cdf-chart.ts'
export {
  nodeSegments,
  faultBands,
  moments,
  sampleEvenly,
  timelineData,
  timelineSpec,
  timelineSvg,
  runEnd,
  MAX_TIMELINE_NODES,
  type NodeState,
  type Segment,
  type FaultBand,
  type Moment,
  type TimelineData,
} from './timeline.ts'
export { vegaLiteToSvg } from './vega-svg.ts'
