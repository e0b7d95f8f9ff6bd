import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import type { SimEvent } from '../../core/events.ts'
import { ALL_GROUP } from '../../metrics/summary.ts'
import { readErrors, type RunInfo, type SummaryRecord } from '../format/report-files.ts'
import { FAULT_COLOR } from './colors.ts'
import { jobsSvg, OUTCOME_COLORS, type JobPoint } from './jobs-chart.ts'
import { esc, facts, num, table, type Cell } from './page.ts'
import { faultBands, runEnd } from './segments.ts'

/** The tables of report.html: facts, assertions, the harness's lag, the summary, node errors, jobs. */
export const resultBadge = (passed: boolean | undefined) =>
  passed === undefined ? '' : `<span class="badge ${passed ? 'pass' : 'fail'}">${passed ? 'PASS' : 'FAIL'}</span>`

/** The membership bucket, its replicas, and who held it when a fault went for its leader. */
const membershipFact = (run: RunInfo | null): string | undefined => {
  const m = run?.config?.membership
  if (m?.bucket === undefined) return undefined
  const held = (run?.membership_placements ?? []).map((p) => `held by ${p.leader ?? 'nobody'} at ${(p.t_ms / 1000).toFixed(1)} s`)
  return [`bucket ${m.bucket}, ${m.replicas ?? 1} replica${m.replicas === 1 ? '' : 's'}`, ...held].join('; ')
}

export const metadata = (run: RunInfo | null, summary: SummaryRecord[] | null, runId: string): string => {
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
    ['membership', membershipFact(run)],
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

export const assertionsHtml = (run: RunInfo | null): string => {
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

export const lagHtml = (run: RunInfo | null): string => {
  const w = run?.harness?.event_loop ?? []
  if (w.length === 0) return ''
  return `<h3>Harness event loop</h3>${table(
    ['window', 'duration ms', 'lag max ms', 'lag p99 ms', 'CPU ms'],
    w.map((x) => [esc(x.window), esc(num(x.duration_ms, 1)), esc(num(x.lag_max_ms, 1)), esc(num(x.lag_p99_ms, 1)), esc(num(x.cpu_ms, 1))]),
  )}`
}

export const summaryHtml = (summary: SummaryRecord[] | null): string => {
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

export const errorsHtml = (dir: string): string => {
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
export const jobsHtml = async (dir: string, events: readonly SimEvent[] | null, durationMs?: number): Promise<string> => {
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
