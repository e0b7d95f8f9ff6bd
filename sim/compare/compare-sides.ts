import { NetsimError } from '../core/errors.ts'
import { ALL_GROUP, METRIC_ORDER } from '../metrics/summary.ts'
import type { CompareSide } from './load-side.ts'
import type { CompareRow, Verdict } from '../report/format/compare-csv.ts'

export type { CompareRow, Verdict } from '../report/format/compare-csv.ts'
import type { Sample } from '../report/format/report-files.ts'
import type { CompareSettings } from '../config/compare-settings.ts'
import { judge } from './judge.ts'

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
 * row: the metric did not apply); for a baseline, its rows with an empty value_ms (a baseline
 * records every missing value that way, so none means none).
 */
const missingOf = (s: CompareSide, group: string, metric: string): number => {
  if (s.summary !== null) return s.summary.filter((r) => r.group === group && r.metric === metric).reduce((n, r) => n + r.missing, 0)
  return ofGroup(s, group, metric).filter((x) => x.value_ms === null).length
}

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
  if (a.runIds.length < 2)
    notes.push(`A is a single run: its run-to-run spread is unknown, so only the relative and absolute floors set each allowance`)
  return notes
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
      const side = (x: CompareSide) => ({ samples: ofGroup(x, group, metric), missing: missingOf(x, group, metric), runIds: x.runIds })
      const row = judge(metric, group, side(a), side(b), settings)
      if (row !== null) rows.push(row)
    }
  }
  return { rows, notes: notesOn(a, b) }
}
