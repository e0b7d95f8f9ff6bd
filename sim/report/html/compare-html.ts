import type { CompareRow } from '../format/compare-csv.ts'
import type { Sample } from '../format/report-files.ts'
import { ALL_GROUP } from '../../metrics/summary.ts'
import { cdfSvg } from './cdf-chart.ts'
import { esc, num, page, table, type Cell } from './page.ts'

const signed = (x: number | null) => (x === null ? '' : `${x > 0 ? '+' : ''}${num(x, 1)}`)
const pv = (p: number | null) => (p === null ? '' : p < 0.0001 ? '<0.0001' : String(Number(p.toPrecision(2))))
const n = (x: number | null) => (x === null ? '?' : String(x))

/** The compare rows as an HTML table, verdicts coloured, reasons (when known) in the last column. */
export const compareTable = (rows: readonly CompareRow[]): string => {
  const withReason = rows.some((r) => r.reason !== '')
  return (
    table(
      [
        'group',
        'metric',
        'count A',
        'count B',
        'missing A',
        'missing B',
        'p50 A',
        'p50 B',
        'Δp50',
        'p95 A',
        'p95 B',
        'p99 A',
        'p99 B',
        'Δp99',
        'p',
        'verdict',
        ...(withReason ? ['why'] : []),
      ],
      rows.map((r): (string | Cell)[] => [
        esc(r.group),
        { html: esc(r.metric), cls: 'l' },
        esc(r.a_count),
        esc(r.b_count),
        esc(n(r.a_missing)),
        { html: esc(n(r.b_missing)), ...(r.b_missing !== null && r.b_missing > 0 ? { cls: 'warn' } : {}) },
        esc(num(r.a_p50, 1)),
        esc(num(r.b_p50, 1)),
        esc(signed(r.p50_diff_ms)),
        esc(num(r.a_p95, 1)),
        esc(num(r.b_p95, 1)),
        esc(num(r.a_p99, 1)),
        esc(num(r.b_p99, 1)),
        esc(signed(r.p99_diff_ms)),
        esc(pv(r.p_value)),
        { html: esc(r.verdict), ...(r.verdict === 'same' ? {} : { cls: r.verdict }) },
        ...(withReason ? [{ html: esc(r.reason), cls: 'why' }] : []),
      ]),
    ) + '<p class="note">Times in ms (compare.csv has µs); Δ = B − A (positive: B slower). p: two-sided Wilcoxon rank-sum (Mann-Whitney U) test.</p>'
  )
}

export interface CompareHtmlOptions {
  /** labels of the sides (run id, baseline file) */
  a?: string
  b?: string
  scenario?: string
  notes?: readonly string[]
}

const valuesOf = (samples: readonly Sample[], group: string, metric: string): number[] =>
  samples.flatMap((s) => (s.value_ms !== null && s.metric === metric && (group === ALL_GROUP || s.group === group) ? [s.value_ms] : []))

/**
 * compare.html: the verdict table and, per compared (group, metric), the CDFs of A (dashed) and
 * B overlaid. Self-contained like report.html.
 */
export const renderCompareHtml = async (
  rows: readonly CompareRow[],
  samplesA: readonly Sample[],
  samplesB: readonly Sample[],
  opts: CompareHtmlOptions = {},
): Promise<string> => {
  const a = opts.a ?? 'A'
  const b = opts.b ?? 'B'
  const regressed = rows.filter((r) => r.verdict === 'regressed').length
  const charts: string[] = []
  for (const [k, r] of rows.entries()) {
    const series = [
      { name: `A: ${a}`, values: valuesOf(samplesA, r.group, r.metric), dashed: true },
      { name: `B: ${b}`, values: valuesOf(samplesB, r.group, r.metric) },
    ]
    const head = `<h3>${esc(r.group === ALL_GROUP ? r.metric : `${r.group}.${r.metric}`)} <span class="note">(${esc(r.verdict)}; n ${r.a_count} vs ${r.b_count})</span></h3>`
    charts.push(
      `<div class="chart">${head}${series.some((s) => s.values.length > 0) ? await cdfSvg(`cmp-${k}`, series) : '<p class="note">no values</p>'}</div>`,
    )
  }
  const body = [
    `<h1>netsim compare${opts.scenario ? ` ${esc(opts.scenario)}` : ''}<span class="badge ${regressed ? 'fail' : 'pass'}">${regressed ? `${regressed} REGRESSED` : 'NO REGRESSION'}</span></h1>`,
    `<p class="sub">A (reference): ${esc(a)} — B (candidate): ${esc(b)}</p>`,
    ...(opts.notes ?? []).map((x) => `<p class="note">note: ${esc(x)}</p>`),
    `<h2>Verdicts</h2>${compareTable(rows)}`,
    `<h2>Distributions</h2><p class="note">Empirical CDFs, A dashed, B solid.</p><div class="charts">${charts.join('\n')}</div>`,
  ]
  return page(`netsim compare ${opts.scenario ?? ''}: ${a} vs ${b}`, body.join('\n'))
}
