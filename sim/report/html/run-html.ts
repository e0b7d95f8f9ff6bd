import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NetsimError } from '../../core/errors.ts'
import { ALL_GROUP, METRIC_ORDER } from '../../metrics/summary.ts'
import { writeFileAtomic } from '../../platform/atomic-dir.ts'
import type { CompareMeta } from '../format/compare-csv.ts'
import { parseCompareCsv } from '../format/compare-csv.ts'
import { parseSamplesCsv, readEvents, readRunInfo, readSamples, readSummary, type Sample } from '../format/report-files.ts'
import type { CdfSeries } from './cdf-chart.ts'
import { compareTable } from './compare-html.ts'
import { esc, page } from './page.ts'
import { recoveryFaults } from './recovery.ts'
import { cdfsHtml, missingOf, orchLoadHtml, recoveryHtml, timelineHtml } from './run-pictures.ts'
import { assertionsHtml, errorsHtml, jobsHtml, lagHtml, metadata, resultBadge, summaryHtml } from './run-sections.ts'

const rank = (m: string): number => {
  const k = METRIC_ORDER.indexOf(m)
  return k === -1 ? METRIC_ORDER.length : k
}
const metricOrder = (ms: Iterable<string>) => [...new Set(ms)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))

const valuesOf = (samples: readonly Sample[], pred: (s: Sample) => boolean): number[] =>
  samples.flatMap((s) => (s.value_ms !== null && pred(s) ? [s.value_ms] : []))

/**
 * The lines of one metric's CDF: one per group (plus `all` when there are several groups), split
 * further by run id and by transport when the file pools several; then, when the folder holds a
 * compare whose reference (A) can still be read, A's `all` dashed beside this run's.
 */
export const runCdfSeries = (samples: readonly Sample[], metric: string, reference?: { label: string; samples: readonly Sample[] }): CdfSeries[] => {
  const of = samples.filter((s) => s.metric === metric)
  const groups = [...new Set(of.map((s) => s.group))]
  const runs = [...new Set(of.map((s) => s.run_id))]
  const transports = [...new Set(of.map((s) => s.transport ?? ''))]
  const parts: { name: string; pred: (s: Sample) => boolean }[] = []
  const splits: { name: string; pred: (s: Sample) => boolean }[] = []
  for (const r of runs.length > 1 ? runs : [null]) {
    for (const t of transports.length > 1 ? transports : [null]) {
      splits.push({
        name: [t, r].filter((x) => x !== null).join(' · '),
        pred: (s) => (r === null || s.run_id === r) && (t === null || (s.transport ?? '') === t),
      })
    }
  }
  for (const sp of splits) {
    const withName = (g: string) => [g, sp.name].filter(Boolean).join(' · ')
    if (groups.length > 1 || groups.length === 0) parts.push({ name: withName(ALL_GROUP), pred: sp.pred })
    for (const g of groups) parts.push({ name: withName(g), pred: (s) => s.group === g && sp.pred(s) })
  }
  const series: CdfSeries[] = parts.map((p) => ({ name: p.name, values: valuesOf(of, p.pred) }))
  if (reference) {
    const ref = valuesOf(reference.samples, (s) => s.metric === metric)
    if (ref.length > 0) {
      if (series.length === 1 && series[0]) series[0].name = `B: this run (${series[0].name})`
      series.unshift({ name: `A: ${reference.label} (all)`, values: ref, dashed: true })
    }
  }
  return series
}

/** A compare written into this folder (compare.json + compare.csv), and A's samples if still readable. */
const compareIn = (dir: string): { meta: CompareMeta; csv: string; reference: { label: string; samples: Sample[] } | undefined } | null => {
  const metaFile = join(dir, 'compare.json')
  const csvFile = join(dir, 'compare.csv')
  if (!existsSync(metaFile) || !existsSync(csvFile)) return null
  let meta: CompareMeta
  try {
    meta = JSON.parse(readFileSync(metaFile, 'utf8')) as CompareMeta
  } catch {
    return null
  }
  let reference: { label: string; samples: Sample[] } | undefined
  const other = meta.b?.path === dir ? meta.a : meta.a?.path === dir ? meta.b : meta.a
  try {
    const samples = other.kind === 'baseline' ? parseSamplesCsv(readFileSync(other.path, 'utf8'), other.path) : readSamples(other.path)
    if (samples) reference = { label: other.label, samples }
  } catch {
    reference = undefined // the other side moved or was removed: the table still shows
  }
  return { meta, csv: readFileSync(csvFile, 'utf8'), reference }
}

/**
 * report.html of a run's folder (docs/reports-html.md), pictures first: nodes per orchestrator
 * over time, a recovery curve per fault, then the facts and assertions, the per-node timeline
 * coloured by orchestrator with a zoom on each fault, the CDFs by phase, the compare written
 * into the folder if any, the summary table, jobs and node errors. One self-contained file:
 * inline SVG and CSS, no script, nothing fetched. Async because Vega renders asynchronously.
 */
export const renderRunHtml = async (reportDir: string): Promise<string> => {
  const dir = resolve(reportDir)
  if (!existsSync(dir)) throw new NetsimError('E_USAGE', `no report folder at ${reportDir}`)
  const samples = readSamples(dir)
  const summary = readSummary(dir)
  const run = readRunInfo(dir)
  const events = readEvents(dir)
  if (samples === null && summary === null && run === null)
    throw new NetsimError('E_USAGE', `${reportDir} is not a report folder (no samples.csv, summary.csv or run.json)`)
  const runId = run?.run_id ?? samples?.[0]?.run_id ?? dir.split('/').pop() ?? ''
  const scenario = run?.scenario ?? summary?.[0]?.scenario ?? samples?.[0]?.scenario ?? ''
  const cmp = compareIn(dir)

  const metrics = metricOrder([...(samples ?? []).map((s) => s.metric), ...(summary ?? []).map((r) => r.metric)])
  const cdfs = metrics.map((metric) => ({ metric, series: runCdfSeries(samples ?? [], metric, cmp?.reference), missing: missingOf(summary, metric) }))
  const faults = events === null ? [] : recoveryFaults(events)

  const body = [
    `<h1>netsim ${esc(scenario)}${resultBadge(run?.passed)}</h1><p class="sub">run ${esc(runId)}</p>`,
    events === null ? '<p class="note">No events.csv: no timeline, no recovery curves.</p>' : await orchLoadHtml(events, run?.duration_ms),
    await recoveryHtml(faults, run),
    `<div class="cols"><div><h2>Run</h2>${metadata(run, summary, runId)}</div><div><h2>Assertions</h2>${assertionsHtml(run)}${lagHtml(run)}</div></div>`,
    events === null ? '' : await timelineHtml(events, faults, run?.duration_ms),
    metrics.length === 0
      ? ''
      : await cdfsHtml(
          cdfs,
          `Empirical CDF per metric, grouped by phase: the fraction of values at or below each time (ms).${cmp?.reference ? ' A (the reference of the compare below) dashed.' : ''}`,
        ),
    cmp
      ? `<h2>Compare</h2><p class="note">A (reference): ${esc(cmp.meta.a.label)} — B (candidate): ${esc(cmp.meta.b.label)}.</p>${compareTable(parseCompareCsv(cmp.csv))}`
      : '',
    `<h2>Summary</h2>${summaryHtml(summary)}`,
    await jobsHtml(dir, events, run?.duration_ms),
    errorsHtml(dir),
  ]
  return page(`netsim ${scenario} ${runId}`, body.join('\n'))
}

/** Writes `report.html` into the report folder; returns its path. */
export const writeRunHtml = async (reportDir: string): Promise<string> => {
  const html = await renderRunHtml(reportDir)
  const file = join(resolve(reportDir), 'report.html')
  writeFileAtomic(file, html)
  return file
}
