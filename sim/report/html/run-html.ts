import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { NetsimError } from '../../core/errors.ts'
import { ALL_GROUP, METRIC_ORDER } from '../../metrics/summary.ts'
import type { CompareMeta } from '../format/compare-csv.ts'
import { parseCompareCsv } from '../format/compare-csv.ts'
import {
  parseSamplesCsv,
  readErrors,
  readEvents,
  readRunInfo,
  readSamples,
  readSummary,
  type RunInfo,
  type Sample,
  type SummaryRecord,
} from '../format/report-files.ts'
import { cdfSvg, type CdfSeries } from './cdf-chart.ts'
import { compareTable } from './compare-html.ts'
import { esc, facts, num, page, table, type Cell } from './page.ts'
import { FAULT_COLOR, NODE_STATES, STATE_COLORS, faultBands, runEnd, timelineData, timelineSvg } from './timeline.ts'
import { jobsSvg, OUTCOME_COLORS, type JobPoint } from './jobs-chart.ts'
import { parse } from 'csv-parse/sync'
import type { SimEvent } from '../../core/events.ts'

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

const resultBadge = (passed: boolean | undefined) =>
  passed === undefined ? '' : `<span class="badge ${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : 'FAIL'}</span>`

const metadata = (run: RunInfo | null, summary: SummaryRecord[] | null, runId: string): string => {
  const c = run?.config
  const all = summary?.find((r) => r.group === ALL_GROUP)
  const groups = c?.groups?.map((g) => `${g.name} ${g.count}`).join(', ')
  const v = run?.versions ?? {}
  const h = run?.host ?? {}
  return facts([
    ['scenario', `${run?.scenario ?? all?.scenario ?? ''}${c?.scenario?.description ? ` — ${c.scenario.description}` : ''}`],
    ['run id', runId],
    ['result', run?.passed === undefined ? undefined : run.passed ? 'PASS' : 'FAIL'],
    ['started', run?.started_at],
    ['duration', run?.duration_ms === undefined ? undefined : `${(run.duration_ms / 1000).toFixed(1)} s`],
    ['seed', run?.seed],
    ['transport / backend', [c?.transport ?? all?.transport, c?.backend ?? all?.backend].filter(Boolean).join(' / ')],
    ['profile', c?.profile ?? all?.profile],
    ['time scale', c?.timeScale],
    ['fault', c?.fault],
    ['orchestrators', c?.orchestrators?.count ?? all?.orchestrators],
    ['nodes', groups ? `${all?.nodes ?? ''} (${groups})` : all?.nodes],
    [
      'versions',
      Object.entries(v)
        .map(([k, x]) => `${k} ${x ?? '?'}`)
        .join(', '),
    ],
    [
      'host',
      [
        h['cpus'] !== undefined ? `${String(h['cpus'])} CPUs` : '',
        h['cpu_model'],
        h['memory_mb'] !== undefined ? `${String(h['memory_mb'])} MB` : '',
        h['platform'],
        h['arch'],
        h['kernel'],
      ]
        .filter(Boolean)
        .join(', '),
    ],
  ])
}

const assertionsHtml = (run: RunInfo | null): string => {
  const as = run?.assertions ?? []
  const timeouts = run?.timeouts ?? []
  if (as.length === 0 && timeouts.length === 0) return '<p class="note">No assertions.</p>'
  const rows = as.map((a): Cell[] => [
    { html: a.ok ? 'ok' : 'FAIL', cls: a.ok ? 'ok' : 'bad' },
    { html: esc(a.text), cls: 'l' },
    { html: esc(num(a.actual)) },
  ])
  return `${as.length ? table(['', 'assertion', 'actual'], rows) : ''}${timeouts.map((t) => `<p class="note"><b>timed out:</b> ${esc(t)}</p>`).join('')}`
}

const lagHtml = (run: RunInfo | null): string => {
  const w = run?.harness?.event_loop ?? []
  if (w.length === 0) return ''
  return `<h3>Harness event loop</h3>${table(
    ['window', 'duration ms', 'lag max ms', 'lag p99 ms', 'CPU ms'],
    w.map((x) => [esc(x.window), esc(num(x.duration_ms, 1)), esc(num(x.lag_max_ms, 1)), esc(num(x.lag_p99_ms, 1)), esc(num(x.cpu_ms, 1))]),
  )}`
}

const summaryHtml = (summary: SummaryRecord[] | null): string => {
  if (summary === null || summary.length === 0) return '<p class="note">No summary.csv.</p>'
  return (
    table(
      ['group', 'metric', 'nodes', 'count', 'missing', 'min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'],
      summary.map((r): (string | Cell)[] => [
        esc(r.group),
        { html: esc(r.metric), cls: 'l' },
        esc(r.nodes),
        esc(r.count),
        { html: esc(r.missing), ...(r.missing > 0 ? { cls: 'warn' } : {}) },
        esc(num(r.min)),
        esc(num(r.p50)),
        esc(num(r.p90)),
        esc(num(r.p95)),
        esc(num(r.p99)),
        esc(num(r.max)),
        esc(num(r.mean)),
      ]),
    ) + '<p class="note">Times in ms. <code>missing</code>: nodes the metric applied to that never got a value.</p>'
  )
}

const errorsHtml = (dir: string): string => {
  const errors = readErrors(dir)
  if (errors === null || errors.length === 0) return ''
  const counts = new Map<string, number>()
  for (const e of errors) {
    const k = `${e.group}\u0000${e.kind}\u0000${e.phase}\u0000${e.code}`
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return `<h2>Node errors</h2>${table(
    ['group', 'kind', 'phase', 'code', 'nodes'],
    [...counts].map(([k, n]) => [...k.split('\u0000').map(esc), esc(n)]),
  )}`
}

/**
 * The jobs section when the run had a job workload (jobs.csv): outcomes by reason, and latency
 * against submission time with the fault windows.
 */
const jobsHtml = async (dir: string, events: readonly SimEvent[] | null, durationMs?: number): Promise<string> => {
  const file = join(dir, 'jobs.csv')
  if (!existsSync(file)) return ''
  const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[]
  const jobs: JobPoint[] = rows.map((r) => ({
    job: r['job'] ?? '',
    submit_ms: Number(r['submit_ms']),
    outcome: (r['outcome'] ?? 'lost') as JobPoint['outcome'],
    reason: r['reason'] ?? '',
    latency_ms: r['latency_ms'] ? Number(r['latency_ms']) : null,
  }))
  const counts = new Map<string, { n: number; afterNode: number }>()
  for (const r of rows) {
    const k = `${r['outcome']}\u0000${r['reason'] ?? ''}\u0000${r['phase'] ?? ''}`
    const c = counts.get(k) ?? { n: 0, afterNode: 0 }
    c.n++
    if (r['outcome'] === 'lost' && r['node_done_ms']) c.afterNode++
    counts.set(k, c)
  }
  const end = events === null ? Math.max(0, ...jobs.map((j) => j.submit_ms)) : runEnd(events, durationMs)
  const faults = events === null ? [] : faultBands(events, end)
  const legend = `<div class="legend">${Object.entries(OUTCOME_COLORS)
    .map(([o, c]) => `<span><span class="sw" style="background:${c}"></span>${o}</span>`)
    .join('')}<span><span class="sw" style="background:${FAULT_COLOR};opacity:.3"></span>fault window</span></div>`
  return `<h2>Jobs</h2><p class="note">${rows.length} jobs. A lost job had no outcome within its budget; "ran on node" counts lost jobs whose node finished the run and sent its final callback, which for orchestrator_gone went to an orchestrator that was gone, and for late arrived after the budget.</p>${table(
    ['outcome', 'reason', 'phase', 'jobs', 'ran on node'],
    [...counts].map(([k, c]) => [...k.split('\u0000').map(esc), esc(c.n), esc(k.startsWith('lost') ? c.afterNode : '')]),
  )}${legend}<div class="chart">${await jobsSvg(jobs, faults, end)}</div>`
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

const stateLegend = () =>
  `<div class="legend">${NODE_STATES.map((s) => `<span><span class="sw" style="background:${STATE_COLORS[s]}"></span>${s}</span>`).join('')}<span><span class="sw" style="background:${FAULT_COLOR};opacity:.3"></span>fault window (apply → heal, or to the end of the run)</span></div>`

/**
 * report.html of a run's folder: metadata and assertions, the summary table, a CDF per timing
 * metric, the per-node connection timeline with fault windows shaded, node errors, and the
 * compare written into the folder if any. One self-contained file: inline SVG and CSS, no
 * script, nothing fetched. Async because Vega renders asynchronously.
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
  const charts: string[] = []
  for (const metric of metrics) {
    const series = runCdfSeries(samples ?? [], metric, cmp?.reference)
    const n = series.filter((s) => !s.dashed).reduce((k, s) => Math.max(k, s.values.length), 0)
    const missing = summary?.find((r) => r.group === ALL_GROUP && r.metric === metric)?.missing ?? 0
    const head = `<h3>${esc(metric)} <span class="note">(n=${n}${missing ? `, ${missing} missing` : ''})</span></h3>`
    charts.push(
      `<div class="chart" id="cdf-${esc(metric)}">${head}${series.some((s) => s.values.length > 0) ? await cdfSvg(`cdf-${metric}`, series) : '<p class="note">no values</p>'}</div>`,
    )
  }

  let timeline = '<p class="note">No events.csv.</p>'
  if (events !== null) {
    const d = timelineData(events, run?.duration_ms)
    const faults = d.faults.length
      ? table(
          ['fault', 'applied (s)', 'healed (s)'],
          d.faults.map((f) => [
            esc(f.label),
            esc((f.start / 1000).toFixed(3)),
            esc(f.healed ? (f.end / 1000).toFixed(3) : 'not healed (to the end)'),
          ]),
        )
      : '<p class="note">No fault was applied.</p>'
    timeline =
      d.nodes.length === 0
        ? '<p class="note">No node events.</p>'
        : `<p class="note">${d.nodes.length < d.totalNodes ? `${d.nodes.length} of ${d.totalNodes} nodes, sampled evenly in start order` : `${d.totalNodes} nodes in start order`}.</p>${stateLegend()}<div class="chart">${await timelineSvg(d)}</div>${faults}`
  }

  const body = [
    `<h1>netsim ${esc(scenario)}${resultBadge(run?.passed)}</h1><p class="sub">run ${esc(runId)}</p>`,
    `<div class="cols"><div>${metadata(run, summary, runId)}</div><div><h3>Assertions</h3>${assertionsHtml(run)}${lagHtml(run)}</div></div>`,
    `<h2>Summary</h2>${summaryHtml(summary)}`,
    cmp
      ? `<h2>Compare</h2><p class="note">A (reference): ${esc(cmp.meta.a.label)} — B (candidate): ${esc(cmp.meta.b.label)}.${cmp.reference ? ' The CDFs below overlay A dashed.' : ''}</p>${compareTable(parseCompareCsv(cmp.csv))}`
      : '',
    `<h2>Distributions</h2><p class="note">Empirical CDF per metric: the fraction of values at or below each time.</p><div class="charts">${charts.join('\n')}</div>`,
    `<h2>Connection timeline</h2>${timeline}`,
    await jobsHtml(dir, events, run?.duration_ms),
    errorsHtml(dir),
  ]
  return page(`netsim ${scenario} ${runId}`, body.join('\n'))
}

/** Writes `report.html` into the report folder; returns its path. */
export const writeRunHtml = async (reportDir: string): Promise<string> => {
  const html = await renderRunHtml(reportDir)
  const file = join(resolve(reportDir), 'report.html')
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, html)
  renameSync(tmp, file)
  return file
}
