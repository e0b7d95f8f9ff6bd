import { join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import type { Settings } from '../config/settings-schema.ts'
import { resolvePlan } from '../config/resolve.ts'
import { runScenario, type RunResult } from '../run/run-scenario.ts'
import { compareToBaseline } from '../compare/compare-reports.ts'
import { formatCompareTable } from '../compare/format-table.ts'
import { COMPARE_COLUMNS } from '../report/format/compare-csv.ts'
import type { CompareSettings } from '../config/compare-settings.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { newRunId } from '../platform/run-dir.ts'
import { NetsimError, isNetsimError } from '../core/errors.ts'
import { stringify } from 'csv-stringify/sync'
import { baselinePath, writeBaseline } from './baseline-file.ts'
import { junitXml, tapReport, type SuiteResult } from './junit.ts'
import { updateReportsIndex } from '../report/index/index.ts'
import type { RegressEntry, RegressSettings } from '../config/regress-settings.ts'

export interface RegressOptions {
  settings: RegressSettings
  compare: CompareSettings
  /** timer overrides for every scenario (how a regression is injected on purpose) */
  timers?: Settings['timers']
  only?: string[]
  reportsDir?: string
  configFile?: string | null
  signal?: AbortSignal
  log?: (line: string) => void
}

const runEntry = (
  e: RegressEntry,
  o: { timers?: Settings['timers']; reportsDir: string; configFile?: string | null; signal?: AbortSignal; seed?: number },
): Promise<RunResult> => {
  const plan = resolvePlan({
    scenario: e.scenario,
    reports_dir: o.reportsDir,
    ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    ...(e.nodes === undefined ? {} : { nodes: e.nodes }),
    ...(e.time_scale === undefined ? {} : { time_scale: e.time_scale }),
    ...((o.seed ?? e.seed) !== undefined ? { seed: (o.seed ?? e.seed) as number } : {}),
    ...(e.workers === undefined ? {} : { workers: e.workers }),
    ...(o.timers === undefined ? {} : { timers: o.timers }),
  })
  return runScenario(plan, { quiet: true, ...(o.signal ? { signal: o.signal } : {}) })
}

/**
 * `npm run regress`: every scenario of the regression set, run small and compared with its
 * baseline. Writes `reports/regress/<run-id>/` (regress.csv, junit.xml, regress.tap, and
 * regress.json: the settings used), rewrites reports/index.html with the trend, and returns
 * whether anything regressed or failed.
 */
export const runRegress = async (o: RegressOptions): Promise<{ ok: boolean; dir: string; suites: SuiteResult[] }> => {
  const reportsDir = resolve(o.reportsDir ?? 'reports')
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'))
  const entries = o.settings.scenarios.filter((e) => !o.only || o.only.includes(e.scenario))
  if (entries.length === 0) throw new NetsimError('E_USAGE', `no regression scenario matches ${o.only?.join(', ')}`)
  const suites: SuiteResult[] = []
  for (const e of entries) {
    const started = Date.now()
    const baseline = baselinePath(e.scenario, reportsDir)
    log(`regress: ${e.scenario} (${e.nodes ?? 'default'} nodes)...`)
    try {
      if (!existsSync(baseline))
        throw new NetsimError(
          'E_CONFIG',
          `no baseline for ${e.scenario} at ${baseline}: create it with \`npm run netsim -- baseline update ${e.scenario}\``,
        )
      const r = await runEntry(e, { ...o, reportsDir })
      const cmp = compareToBaseline(r.reportDir, baseline, { settings: o.compare })
      const failures = [...r.assertions.filter((a) => !a.ok).map((a) => `${a.text} (actual ${a.actual ?? 'no value'})`), ...r.timeouts]
      suites.push({ scenario: e.scenario, reportDir: r.reportDir, passed: r.passed, failures, rows: cmp.rows, durationMs: Date.now() - started })
      log(formatCompareTable(cmp.rows))
      for (const f of failures) log(`  FAIL ${f}`)
    } catch (err) {
      if (isNetsimError(err, 'E_INTERRUPTED')) throw err
      suites.push({
        scenario: e.scenario,
        reportDir: null,
        passed: false,
        failures: [],
        rows: [],
        error: (err as Error).message,
        durationMs: Date.now() - started,
      })
      log(`  ERROR ${(err as Error).message}`)
    }
  }
  const dir = new AtomicDir(join(reportsDir, 'regress', newRunId()))
  const rows = suites.flatMap((s) =>
    s.rows.map((r) => [s.scenario, ...COMPARE_COLUMNS.map((c) => (r as unknown as Record<string, unknown>)[c] ?? '')]),
  )
  dir.write('regress.csv', stringify([['scenario', ...COMPARE_COLUMNS], ...rows]))
  dir.write('junit.xml', junitXml(suites))
  dir.write('regress.tap', tapReport(suites))
  // the settings every verdict was reached with: the index draws each metric's threshold from them
  dir.write('regress.json', JSON.stringify({ compare: o.compare, timers: o.timers ?? {}, scenarios: entries }, null, 2) + '\n')
  const out = dir.commit()
  await updateReportsIndex(reportsDir, log, { compare: o.compare })
  const ok = suites.every((s) => s.passed && !s.error && s.rows.every((r) => r.verdict !== 'regressed'))
  return { ok, dir: out, suites }
}

/** `netsim baseline update <scenario>`: runs it `runs` times and stores the pooled samples. */
export const updateBaseline = async (
  e: RegressEntry,
  o: { runs: number; reportsDir?: string; configFile?: string | null; signal?: AbortSignal; log?: (l: string) => void },
): Promise<string> => {
  const reportsDir = resolve(o.reportsDir ?? 'reports')
  const runs: { runId: string; values: RunResult['values'] }[] = []
  for (let k = 0; k < o.runs; k++) {
    o.log?.(`baseline ${e.scenario}: run ${k + 1}/${o.runs}...`)
    const r = await runEntry(e, {
      reportsDir,
      ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
      ...(o.signal ? { signal: o.signal } : {}),
      seed: (e.seed ?? 1) + k,
    })
    if (!r.passed)
      throw new NetsimError(
        'E_ASSERTION',
        `baseline ${e.scenario}: run ${k + 1} failed its own assertions (${r.reportDir}); a baseline is made of passing runs only`,
      )
    runs.push({ runId: r.runId, values: r.values })
  }
  const file = baselinePath(e.scenario, reportsDir)
  writeBaseline(file, e.scenario, runs)
  return file
}
