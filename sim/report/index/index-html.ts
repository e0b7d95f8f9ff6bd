import { join, resolve } from 'node:path'
import type { CompareSettings } from '../../config/compare-settings.ts'
import { writeFileAtomic } from '../../platform/atomic-dir.ts'
import { esc, num, page, table, type Cell } from '../html/page.ts'
import { shortId, trendPanels, trendSvg } from './regress-trend.ts'
import { scanRegress, scanRuns, type RegressEntry, type RunEntry } from './scan-reports.ts'

/**
 * reports/index.html (docs/reports-html.md): the runs in the reports folder, newest first
 * (scenario, time, pass or fail, nodes, key p50/p99, links), and the trend of each gated
 * metric across regress runs. Rewritten whole, atomically, after each run and each regress,
 * and by `netsim report --index`; like every page, one file with nothing fetched.
 */
export const MAX_RUNS_LISTED = 500

const link = (href: string, text: string) => `<a href="${esc(href)}">${esc(text)}</a>`

const runRow = (r: RunEntry): (string | Cell)[] => [
  esc(r.scenario),
  { html: r.hasReport ? link(`${r.path}/report.html`, r.id) : esc(r.id), cls: 'l' },
  esc(r.started ? r.started.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : ''),
  r.passed === null ? '' : { html: r.passed ? 'PASS' : 'FAIL', cls: r.passed ? 'ok' : 'bad' },
  esc(r.nodes ?? ''),
  esc(r.durationMs === null ? '' : (r.durationMs / 1000).toFixed(1)),
  { html: esc(r.key.map((k) => `${k.metric} ${num(k.p50, 1)} / ${num(k.p99, 1)}`).join(' · ')), cls: 'l' },
  {
    html: [
      r.hasCompare ? link(`${r.path}/compare.html`, 'compare') : '',
      r.kind === 'run' ? '' : esc(r.kind),
      r.error ? `unreadable: ${esc(r.error)}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    cls: 'l',
  },
]

const regressHtml = async (regress: readonly RegressEntry[], fallback?: CompareSettings): Promise<string> => {
  if (regress.length === 0) return '<h2>Regress trend</h2><p class="note">No regress run in this folder yet (<code>npm run regress</code>).</p>'
  const runs = regress.map((r) => shortId(r.id))
  const panels = trendPanels(regress, fallback)
  const scenarios = [...new Set(panels.map((p) => p.scenario))]
  const charts: string[] = []
  for (const [k, s] of scenarios.entries())
    charts.push(
      `<h3>${esc(s)}</h3><div class="chart" id="trend-${esc(s)}">${await trendSvg(
        panels.filter((p) => p.scenario === s),
        runs,
        `trend-${k}`,
      )}</div>`,
    )
  const list = table(
    ['regress run', 'scenarios', 'regressed', 'files'],
    [...regress].reverse().map((r) => [
      esc(r.id),
      esc(new Set(r.rows.map((x) => x.scenario)).size),
      {
        html: esc(r.rows.filter((x) => x.verdict === 'regressed').length),
        ...(r.rows.some((x) => x.verdict === 'regressed') ? { cls: 'bad' } : {}),
      },
      { html: [link(`${r.path}/regress.csv`, 'regress.csv'), link(`${r.path}/junit.xml`, 'junit.xml')].join(' '), cls: 'l' },
    ]),
  )
  return `<h2>Regress trend</h2><p class="note">Each gated metric of each regression scenario, run after run (left to right, ${regress.length} regress runs): the candidate's percentiles (solid, a red cross where the run regressed), the baseline's (dashed) and the regression threshold, baseline + the metric's allowance as that run recorded it (red dotted; roughly: the gate compares the mean of the runs' percentiles, and regresses only when the test on the samples agrees; no line for regress runs that did not record an allowance). A slow drift shows as a line climbing towards the red one.</p>${charts.join('\n')}${list}`
}

export const renderIndexHtml = async (reportsDir: string, opts: { compare?: CompareSettings } = {}): Promise<string> => {
  const root = resolve(reportsDir)
  const runs = scanRuns(root)
  const regress = scanRegress(root)
  const shown = runs.slice(0, MAX_RUNS_LISTED)
  const scenarios = [...new Set(runs.map((r) => r.scenario))].sort()
  const latest = table(
    ['scenario', 'runs', 'latest', 'result'],
    scenarios.map((s) => {
      const of = runs.filter((r) => r.scenario === s)
      const last = of[0] as RunEntry
      return [
        esc(s),
        esc(of.length),
        { html: last.hasReport ? link(`${last.path}/report.html`, last.id) : esc(last.id), cls: 'l' },
        last.passed === null ? '' : { html: last.passed ? 'PASS' : 'FAIL', cls: last.passed ? 'ok' : 'bad' },
      ]
    }),
  )
  const body = [
    `<h1>netsim reports</h1><p class="sub">${runs.length} runs in ${esc(root)}${runs.length > shown.length ? `; the newest ${shown.length} listed` : ''}</p>`,
    `<h2>Scenarios</h2>${runs.length ? latest : '<p class="note">No run yet.</p>'}`,
    await regressHtml(regress, opts.compare),
    `<h2>Runs</h2>${table(['scenario', 'run', 'started', 'result', 'nodes', 'seconds', 'key metrics: p50 / p99 (ms)', ''], shown.map(runRow))}`,
  ]
  return page('netsim reports', body.join('\n'))
}

/** Writes `<reportsDir>/index.html` whole (temp file, then rename); returns its path. */
export const writeReportsIndex = async (reportsDir: string, opts: { compare?: CompareSettings } = {}): Promise<string> => {
  const file = join(resolve(reportsDir), 'index.html')
  writeFileAtomic(file, await renderIndexHtml(reportsDir, opts))
  return file
}
