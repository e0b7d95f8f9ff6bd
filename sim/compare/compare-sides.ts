import { quantileSorted } from 'simple-statistics'
import { NetsimError } from '../core/errors.ts'
import { ALL_GROUP, METRIC_ORDER } from '../metrics/summary.ts'
import type { CompareSide } from './load-side.ts'
import type { CompareRow, Verdict } from '../report/format/compare-csv.ts'

export type { CompareRow, Verdict } from '../report/format/compare-csv.ts'
import { rankSumTest } from './rank-sum-test.ts'
import type { Sample } from '../report/format/report-files.ts'
import { thresholdMs, toleranceFor, type CompareSettings, type Percentile } from '../config/compare-settings.ts'

const us = (v: number): number => Math.round(v * 1000) / 1000

const rank = (m: string): number => {
  const k = METRIC_ORDER.indexOf(m)
  return k === -1 ? METRIC_ORDER.length : k
}

const distinct = <T>(xs: Iterable<T>): T[] => [...new Set(xs)]

const groupsOf = (s: CompareSide): Set<string> => new Set([ALL_GROUP, ...s.samples.map((x) => x.group), ...(s.summary ?? []).map((r) => r.group)])

const metricsOf = (s: CompareSide): Set<string> => new Set([...s.samples.map((x) => x.metric), ...(s.summary ?? []).map((r) => r.metric)])

const ofGroup = (s: CompareSide, group: string, metric: string): Sample[] =>
  s.samples.filter((x) => x.metric === metric && (group === ALL_GROUP || x.group === group))

/**
 * Missing values of (group, metric): summary.csv's count when the side has one (0 when it has no
 * row: the metric did not apply); for a baseline, its rows with an empty value_ms if it records
 * any at all, else unknown.
 */
const missingOf = (s: CompareSide, group: string, metric: string): number | null => {
  if (s.summary !== null) return s.summary.find((r) => r.group === group && r.metric === metric)?.missing ?? 0
  if (!s.samples.some((x) => x.value_ms === null)) return null
  return ofGroup(s, group, metric).filter((x) => x.value_ms === null).length
}

interface Stats {
  values: number[]
  p50: number | null
  p90: number | null
  p95: number | null
  p99: number | null
}

const statsOf = (samples: readonly Sample[]): Stats => {
  const values = samples.flatMap((x) => (x.value_ms === null ? [] : [x.value_ms])).sort((a, b) => a - b)
  const q = (p: number) => (values.length === 0 ? null : us(quantileSorted(values, p)))
  return { values, p50: q(0.5), p90: q(0.9), p95: q(0.95), p99: q(0.99) }
}

const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2))
const fmtP = (p: number): string => (p < 0.0001 ? 'p<0.0001' : `p=${p.toPrecision(2)}`)

/** Which groups to compare: the settings' list, or every group of both for `[]` / `['*']`. */
const selectGroups = (a: CompareSide, b: CompareSide, wanted: readonly string[]): string[] => {
  const ga = groupsOf(a)
  const gb = groupsOf(b)
  if (wanted.length === 0 || wanted.includes('*')) return [ALL_GROUP, ...[...ga].filter((g) => g !== ALL_GROUP && gb.has(g)).sort()]
  for (const g of wanted) {
    const lacking = [!ga.has(g) ? `A (${a.label})` : '', !gb.has(g) ? `B (${b.label})` : ''].filter(Boolean)
    if (lacking.length > 0)
      throw new NetsimError(
        'E_USAGE',
        `group "${g}" is not in ${lacking.join(' nor ')}; groups in A: ${[...ga].join(', ')}; in B: ${[...gb].join(', ')}`,
      )
  }
  return distinct(wanted)
}

/** Differences in how the two sides were run that do not prevent a compare, but matter. */
const notesOn = (a: CompareSide, b: CompareSide): string[] => {
  const facts = (s: CompareSide): Record<string, string> => {
    const c = s.run?.config
    const sum = s.summary?.find((r) => r.group === ALL_GROUP)
    const out: Record<string, string> = {}
    const put = (k: string, v: unknown) => {
      if (v !== undefined && v !== null && v !== '') out[k] = String(v)
    }
    put('transport', c?.transport ?? sum?.transport ?? s.samples.find((x) => x.transport)?.transport)
    put('profile', c?.profile ?? sum?.profile)
    put('backend', c?.backend ?? sum?.backend)
    put('time scale', c?.timeScale)
    put('fault', c?.fault)
    put('nodes', sum?.nodes)
    put('orchestrators', c?.orchestrators?.count ?? sum?.orchestrators)
    return out
  }
  const fa = facts(a)
  const fb = facts(b)
  const notes: string[] = []
  for (const k of Object.keys(fa)) {
    if (fb[k] !== undefined && fa[k] !== fb[k]) notes.push(`${k} differs: A ${fa[k]}, B ${fb[k]}`)
  }
  if (a.kind === 'baseline' && !a.samples.some((x) => x.value_ms === null))
    notes.push('A is a baseline without missing counts: the missing-values check needs them on both sides')
  if (b.kind === 'baseline' && !b.samples.some((x) => x.value_ms === null))
    notes.push('B is a baseline without missing counts: the missing-values check needs them on both sides')
  return notes
}

/**
 * The verdict of one (group, metric). In order:
 * 1. missing values appear (A had 0, B has some; or B has none at all where A had values): regressed.
 * 2. a count metric (settings.count_metrics) appears (A had 0 values per run, B has some):
 *    regressed; disappears: improved.
 * 3. otherwise the rank-sum test and the tolerance: regressed when p < alpha and B is worse than
 *    A on any of settings.percentiles by more than the tolerance; improved when p < alpha and B
 *    is better by more than it (and worse on none); else same. When A pools several runs (a
 *    baseline), B's percentile must also lie outside the range of A's per-run percentiles: the
 *    runs show how much the machine alone moves it.
 */
const judge = (metric: string, group: string, a: CompareSide, b: CompareSide, settings: CompareSettings): CompareRow | null => {
  const sa = ofGroup(a, group, metric)
  const sb = ofGroup(b, group, metric)
  const ma = missingOf(a, group, metric)
  const mb = missingOf(b, group, metric)
  const A = statsOf(sa)
  const B = statsOf(sb)
  if (A.values.length === 0 && B.values.length === 0 && !ma && !mb) return null // did not apply to this group on either side
  const diff = (x: number | null, y: number | null) => (x === null || y === null ? null : us(y - x))
  const test = A.values.length > 0 && B.values.length > 0 ? rankSumTest(A.values, B.values) : null
  const row: CompareRow = {
    metric,
    group,
    a_count: A.values.length,
    b_count: B.values.length,
    a_missing: ma,
    b_missing: mb,
    a_p50: A.p50,
    b_p50: B.p50,
    a_p95: A.p95,
    b_p95: B.p95,
    a_p99: A.p99,
    b_p99: B.p99,
    p50_diff_ms: diff(A.p50, B.p50),
    p99_diff_ms: diff(A.p99, B.p99),
    p_value: test === null ? null : Number(test.p_value.toPrecision(4)),
    verdict: 'same',
    reason: '',
  }
  const done = (verdict: Verdict, reason: string): CompareRow => Object.assign(row, { verdict, reason })

  if (mb !== null && mb > 0 && (ma === 0 || (ma === null && A.values.length > 0 && B.values.length === 0))) {
    return done('regressed', `missing ${ma ?? '?'} → ${mb}`)
  }
  if (settings.count_metrics.includes(metric)) {
    const ra = A.values.length / Math.max(1, a.runIds.length)
    const rb = B.values.length / Math.max(1, b.runIds.length)
    if (ra === 0 && rb > 0) return done('regressed', `count per run 0 → ${fmt(rb)}`)
    if (ra > 0 && rb === 0) return done('improved', `count per run ${fmt(ra)} → 0`)
  }
  if (test === null)
    return done('same', A.values.length === 0 && B.values.length === 0 ? 'no values' : `no values in ${A.values.length === 0 ? 'A' : 'B'}`)

  const tol = toleranceFor(settings, metric)
  // A pooled from several runs shows how much a percentile moves from run to run (machine load,
  // scheduling): B must then also lie outside the range of A's runs, not only past the tolerance.
  const perRun = a.runIds.length >= 2 ? a.runIds.map((id) => statsOf(sa.filter((x) => x.run_id === id))).filter((s) => s.values.length > 0) : []
  const runRange = (p: Percentile): [number, number] | null => {
    const xs = perRun.flatMap((s) => (s[p] === null ? [] : [s[p] as number]))
    return xs.length >= 2 ? [xs.reduce((a, b) => Math.min(a, b)), xs.reduce((a, b) => Math.max(a, b))] : null
  }
  const shifts = settings.percentiles.flatMap((p: Percentile) => {
    const x = A[p]
    const y = B[p]
    if (x === null || y === null) return []
    return [{ p, d: y - x, limit: thresholdMs(tol, x), x, y, range: runRange(p) }]
  })
  const worse = shifts.filter((s) => s.d > s.limit && (s.range === null || s.y > s.range[1]))
  const better = shifts.filter((s) => -s.d > s.limit && (s.range === null || s.y < s.range[0]))
  const insideRuns = shifts.some((s) => s.range !== null && Math.abs(s.d) > s.limit && s.y >= s.range[0] && s.y <= s.range[1])
  const significant = test.p_value < settings.alpha
  const describe = (s: { p: string; d: number; limit: number; x: number }) =>
    `${s.p} ${s.d >= 0 ? '+' : '−'}${fmt(Math.abs(s.d))} ms${s.x !== 0 ? ` (${s.d >= 0 ? '+' : '−'}${fmt(Math.abs((100 * s.d) / s.x))}%)` : ''} beyond ±${fmt(s.limit)}`
  const pText = fmtP(test.p_value)
  if (significant && worse.length > 0) return done('regressed', `${worse.map(describe).join(', ')}; ${pText}`)
  if (significant && better.length > 0) return done('improved', `${better.map(describe).join(', ')}; ${pText}`)
  if (!significant) return done('same', `not significant (${pText} ≥ ${settings.alpha})`)
  return done('same', `within tolerance${insideRuns ? ` or the range of A's ${perRun.length} runs` : ''} (${pText})`)
}

/**
 * Compares two loaded sides: checks they are comparable (same scenario, same timing metrics,
 * the requested groups on both), then one row per (group, metric), metrics in report order.
 */
export const compareSides = (a: CompareSide, b: CompareSide, settings: CompareSettings): { rows: CompareRow[]; notes: string[] } => {
  if (a.scenario !== b.scenario) {
    throw new NetsimError('E_USAGE', `cannot compare different scenarios: A (${a.label}) is "${a.scenario}", B (${b.label}) is "${b.scenario}"`)
  }
  const ma = metricsOf(a)
  const mb = metricsOf(b)
  const timing = (m: string) => !settings.count_metrics.includes(m)
  const onlyA = [...ma].filter((m) => timing(m) && !mb.has(m)).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))
  const onlyB = [...mb].filter((m) => timing(m) && !ma.has(m)).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))
  if (onlyA.length > 0 || onlyB.length > 0) {
    const parts = [
      onlyA.length ? `only in A (${a.label}): ${onlyA.join(', ')}` : '',
      onlyB.length ? `only in B (${b.label}): ${onlyB.join(', ')}` : '',
    ].filter(Boolean)
    throw new NetsimError('E_USAGE', `cannot compare ${a.scenario} reports with different metric sets: ${parts.join('; ')}`)
  }
  const groups = selectGroups(a, b, settings.groups)
  const metrics = distinct([...ma, ...mb]).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))
  const rows: CompareRow[] = []
  for (const metric of metrics) {
    for (const group of groups) {
      const row = judge(metric, group, a, b, settings)
      if (row !== null) rows.push(row)
    }
  }
  return { rows, notes: notesOn(a, b) }
}
