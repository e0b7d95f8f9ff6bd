import type { CompareRow } from '../format/compare-csv.ts'
import type { Sample } from '../format/report-files.ts'
import { ALL_GROUP } from '../../metrics/summary.ts'
import { byPhase, cdfPanelsSvg, phaseTitle, type CdfPanel } from './cdf-panels.ts'
import { RECOVERY_COLORS, RECOVERY_LABELS, RECOVERY_METRICS, swatches } from './colors.ts'
import { recoverySvg } from './recovery-chart.ts'
import type { RecoveryCurve } from './recovery.ts'
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

const VERDICT_COLORS = { regressed: '#c0221a', improved: '#1b6b27', same: '#222' } as const

/**
 * The recovery curves of both sides from their samples (a baseline has no event log): per
 * metric, the fraction of the nodes it applied to that got there by each time, over every
 * fault and run of the side pooled. The denominator is the row's count + missing: a run's
 * missing values come from its summary.csv, a baseline's from its empty value_ms cells (it
 * records every one, sim/regress/baseline-file.ts), so a baseline's curve stops short of 100 %
 * when nodes never got there, as a run's does. (`missing` is null only in rows read back from a
 * compare.csv written before baselines recorded it.)
 */
export const compareRecovery = (rows: readonly CompareRow[], samplesA: readonly Sample[], samplesB: readonly Sample[]): RecoveryCurve[] =>
  RECOVERY_METRICS.flatMap((metric) => {
    const r = rows.find((x) => x.group === ALL_GROUP && x.metric === metric)
    if (r === undefined) return []
    return [
      { metric, side: 'A' as const, values: valuesOf(samplesA, ALL_GROUP, metric), n: r.a_count + (r.a_missing ?? 0) },
      { metric, side: 'B' as const, values: valuesOf(samplesB, ALL_GROUP, metric), n: r.b_count + (r.b_missing ?? 0) },
    ]
  })

const why = (r: CompareRow): string =>
  [r.reason, r.p50_diff_ms === null ? '' : `Δp50 ${signed(r.p50_diff_ms)} ms`, r.p99_diff_ms === null ? '' : `Δp99 ${signed(r.p99_diff_ms)} ms`]
    .filter(Boolean)
    .join('; ')

/**
 * compare.html (docs/reports-html.md): the recovery curves of both sides overlaid, the CDFs of
 * every compared (group, metric) as small multiples by phase, A dashed and B solid, each panel
 * titled with its verdict, then the verdict table. Self-contained like report.html.
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
  const panels: CdfPanel[] = rows.map((r) => ({
    metric: r.metric,
    title: `${r.group === ALL_GROUP ? r.metric : `${r.group}.${r.metric}`}: ${r.verdict}`,
    subtitle: `ms; n ${r.a_count} vs ${r.b_count}${why(r) ? `; ${why(r)}` : ''}`,
    color: VERDICT_COLORS[r.verdict],
    series: [
      { name: `A: ${a}`, values: valuesOf(samplesA, r.group, r.metric), dashed: true },
      { name: `B: ${b}`, values: valuesOf(samplesB, r.group, r.metric) },
    ],
  }))
  const cdfs: string[] = []
  for (const [k, { phase, panels: ps }] of byPhase(panels).entries())
    cdfs.push(
      `<h3>${esc(phaseTitle(phase))}</h3><div class="chart" id="cmp-${esc(phase)}">${await cdfPanelsSvg(`cmp-${k}`, ps, { columns: 2 })}</div>`,
    )
  const curves = compareRecovery(rows, samplesA, samplesB)
  const recovery =
    curves.length === 0
      ? ''
      : `<h2>Recovery</h2><p class="note">From the fault: the fraction of the nodes hit that were detected, reconnected and resumed, A dashed, B solid (every fault of a side pooled, from its samples; nodes that never got there keep a curve below 100 %).</p>${swatches(
          RECOVERY_METRICS.map((m) => ({ color: RECOVERY_COLORS[m], label: RECOVERY_LABELS[m] })),
        )}<div class="chart" id="recovery">${await recoverySvg([{ title: 'A (reference) dashed, B (candidate) solid', curves }], 'cmp-recovery')}</div>`
  const body = [
    `<h1>netsim compare${opts.scenario ? ` ${esc(opts.scenario)}` : ''}<span class="badge ${regressed ? 'fail' : 'pass'}">${regressed ? `${regressed} REGRESSED` : 'NO REGRESSION'}</span></h1>`,
    `<p class="sub">A (reference): ${esc(a)} — B (candidate): ${esc(b)}</p>`,
    ...(opts.notes ?? []).map((x) => `<p class="note">note: ${esc(x)}</p>`),
    recovery,
    `<h2>Distributions</h2><p class="note">Empirical CDFs, A dashed, B solid; each panel's title is its verdict (red: regressed, green: improved).</p>${cdfs.join('\n')}`,
    `<h2>Verdicts</h2>${compareTable(rows)}`,
  ]
  return page(`netsim compare ${opts.scenario ?? ''}: ${a} vs ${b}`, body.join('\n'))
}
