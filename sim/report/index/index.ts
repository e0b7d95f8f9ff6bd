import type { CompareSettings } from '../../config/compare-settings.ts'
import { writeReportsIndex } from './index-html.ts'

/** The reports index (reports/index.html): what lists the runs and draws the regress trend. */
export { renderIndexHtml, writeReportsIndex, MAX_RUNS_LISTED } from './index-html.ts'
export { scanRuns, scanRegress, KEY_METRICS, type RunEntry, type RegressEntry, type RegressRow } from './scan-reports.ts'
export { trendPanels, trendSvg, shortId, type TrendPanel, type TrendPoint } from './regress-trend.ts'

/**
 * Rewrites the index after a run or a regress. A failure is reported, never raised: the run's
 * own report is already in place and is what matters.
 */
export const updateReportsIndex = async (
  reportsDir: string,
  log: (line: string) => void,
  opts: { compare?: CompareSettings } = {},
): Promise<void> => {
  try {
    await writeReportsIndex(reportsDir, opts)
  } catch (err) {
    log(`  (reports index not updated: ${(err as Error).message})`)
  }
}
