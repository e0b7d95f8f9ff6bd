import { join, resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { stringify } from 'csv-stringify/sync'
import type { Settings } from '../config/settings-schema.ts'
import { resolvePlan } from '../config/resolve.ts'
import { runScenario } from '../run/run-scenario.ts'
import { compareSides } from '../compare/compare-sides.ts'
import { loadRuns, loadSide } from '../compare/load-side.ts'
import { formatCompareTable } from '../compare/format-table.ts'
import { COMPARE_COLUMNS } from '../report/format/compare-csv.ts'
import type { CompareSettings } from '../config/compare-settings.ts'
import { AtomicDir } from '../platform/atomic-dir.ts'
import { newRunId } from '../platform/run-dir.ts'
import { NetsimError, isNetsimError } from '../core/errors.ts'
import { randomSeed } from '../core/rng.ts'
import type { MetricValue } from '../metrics/index.ts'
import { versions } from '../report/versions.ts'
import { baselinePath, baselineSeeds, writeBaseline } from './baseline-file.ts'
import { junitXml, tapReport, type SuiteResult } from './junit.ts'
import { formatSensitivity } from './sensitivity.ts'
import { confirmedRows, regressedKeys } from './confirm.ts'
import { updateReportsIndex } from '../report/index/index.ts'
import type { RegressEntry, RegressSettings } from '../config/regress-settings.ts'

/** What a run of the set yields: enough to judge it and to keep it as a baseline. */
export interface EntryRun {
  runId: string
  reportDir: string
  passed: boolean
  /** failed assertions and waits, one line each */
  failures: string[]
  values: MetricValue[]
  binary: string | null
}

/** Runs one scenario of the set once with `seed` (the default runs it for real; tests stub it). */
export type EntryRunner = (
  e: RegressEntry,
  o: { seed: number; timers?: Settings['timers']; reportsDir: string; configFile?: string | null; signal?: AbortSignal },
) => Promise<EntryRun>

export const runEntry: EntryRunner = async (e, o) => {
  const plan = resolvePlan({
    scenario: e.scenario,
    reports_dir: o.reportsDir,
    seed: o.seed,
    ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
    ...(e.nodes === undefined ? {} : { nodes: e.nodes }),
    ...(e.time_scale === undefined ? {} : { time_scale: e.time_scale }),
    ...(e.workers === undefined ? {} : { workers: e.workers }),
    ...(o.timers === undefined ? {} : { timers: o.timers }),
  })
  const r = await runScenario(plan, { quiet: true, ...(o.signal ? { signal: o.signal } : {}) })
  const failures = [...r.assertions.filter((a) => !a.ok).map((a) => `${a.text} (actual ${a.actual ?? 'no value'})`), ...r.timeouts]
  return { runId: r.runId, reportDir: r.reportDir, passed: r.passed, failures, values: r.values, binary: r.binary }
}

export interface RegressOptions {
  settings: RegressSettings
  compare: CompareSettings
  /** timer overrides for every scenario (how a regression is injected on purpose) */
  timers?: Settings['timers']
  only?: string[]
  /** the first run's seed (the next runs use the following ones); default random, recorded */
  seed?: number
  reportsDir?: string
  configFile?: string | null
  signal?: AbortSignal
  log?: (line: string) => void
  runner?: EntryRunner
}

/**
 * regress.csv: a row per scenario and compared (group, metric), with the seeds of its runs and
 * compare.csv's columns, each metric's allowance (`mde_p50_ms`, `mde_p95_ms`) among them.
 */
export const regressCsv = (suites: readonly SuiteResult[]): string =>
  stringify([
    ['scenario', 'seeds', ...COMPARE_COLUMNS],
    ...suites.flatMap((s) => s.rows.map((r) => [s.scenario, s.seeds.join(' '), ...COMPARE_COLUMNS.map((c) => r[c] ?? '')])),
  ])

/**
 * regress.json: the settings every verdict was reached with (compare settings, timer overrides,
 * runs per scenario and their seeds), to reproduce a regress run; the reports index reads the
 * judged percentiles from it (docs/reports-html.md).
 */
export const regressJson = (
  o: Pick<RegressOptions, 'settings' | 'compare' | 'timers'>,
  entries: readonly RegressEntry[],
  suites: readonly SuiteResult[],
) => ({
  compare: o.compare,
  timers: o.timers ?? {},
  runs: o.settings.runs,
  scenarios: entries.map((e) => ({ ...e, runs: e.runs ?? o.settings.runs, seeds: suites.find((s) => s.scenario === e.scenario)?.seeds ?? [] })),
})

/**
 * The first of `runs` consecutive seeds none of which a baseline run of this scenario used, so
 * candidate and baseline samples are independent.
 */
export const freshSeed = (taken: readonly number[], runs: number, draw: () => number = randomSeed): number => {
  for (;;) {
    const s = draw()
    if (!Array.from({ length: runs }, (_, k) => s + k).some((x) => taken.includes(x))) return s
  }
}

/**
 * `npm run regress`: every scenario of the regression set, run `runs` times with fresh seeds,
 * pooled and compared with its baseline (docs/reports.md, "The regression gate"). Prints each
 * compare and the gate's sensitivity, writes `reports/regress/<run-id>/` (regress.csv with
 * each metric's allowance, junit.xml, regress.tap, and regress.json: the settings used) and
 * rewrites reports/index.html with the trend. ok: nothing regressed, every run passed.
 */
export const runRegress = async (o: RegressOptions): Promise<{ ok: boolean; dir: string; suites: SuiteResult[] }> => {
  const reportsDir = resolve(o.reportsDir ?? 'reports')
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'))
  const runner = o.runner ?? runEntry
  const entries = o.settings.scenarios.filter((e) => !o.only || o.only.includes(e.scenario))
  if (entries.length === 0) throw new NetsimError('E_USAGE', `no regression scenario matches ${o.only?.join(', ')}`)
  const suites: SuiteResult[] = []
  for (const e of entries) {
    const started = Date.now()
    const baseline = baselinePath(e.scenario, reportsDir)
    const runs = e.runs ?? o.settings.runs
    // room for a confirming batch after the first: 2 × runs consecutive seeds no baseline run used
    const seed = o.seed ?? freshSeed(baselineSeeds(baseline), o.settings.confirm ? 2 * runs : runs)
    const seeds = Array.from({ length: runs }, (_, k) => seed + k)
    log(`regress: ${e.scenario} (${e.nodes ?? 'default'} nodes, ${runs} run${runs === 1 ? '' : 's'}, seeds ${seeds.join(', ')})...`)
    try {
      if (!existsSync(baseline))
        throw new NetsimError(
          'E_CONFIG',
          `no baseline for ${e.scenario} at ${baseline}: create it with \`npm run netsim -- baseline update ${e.scenario}\``,
        )
      const done: EntryRun[] = []
      const runBatch = async (batch: readonly number[]) => {
        for (const s of batch)
          done.push(
            await runner(e, {
              seed: s,
              reportsDir,
              ...(o.timers ? { timers: o.timers } : {}),
              ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
              ...(o.signal ? { signal: o.signal } : {}),
            }),
          )
      }
      await runBatch(seeds)
      let { rows } = compareSides(loadSide(baseline), loadRuns(done.map((r) => r.reportDir)), o.compare)
      const firstRegressed = regressedKeys(rows)
      if (o.settings.confirm && firstRegressed.size > 0) {
        // as many fresh runs, pooled with the first (confirm.ts)
        const more = Array.from({ length: runs }, (_, k) => seed + runs + k)
        log(
          `regress: ${e.scenario}: ${[...firstRegressed].join(', ')} regressed in the first ${runs} run(s); ${runs} more to confirm (seeds ${more.join(', ')})...`,
        )
        await runBatch(more)
        seeds.push(...more)
        rows = confirmedRows(rows, compareSides(loadSide(baseline), loadRuns(done.map((r) => r.reportDir)), o.compare).rows)
        const kept = regressedKeys(rows)
        log(`regress: ${e.scenario}: ${kept.size > 0 ? `confirmed: ${[...kept].join(', ')}` : 'not confirmed: all runs together read same'}`)
      }
      const failures = done.flatMap((r) => r.failures.map((f) => `${r.runId}: ${f}`))
      suites.push({
        scenario: e.scenario,
        reportDir: done.map((r) => r.reportDir).join(' '),
        passed: done.every((r) => r.passed),
        failures,
        rows,
        seeds,
        durationMs: Date.now() - started,
      })
      log(formatCompareTable(rows))
      for (const f of failures) log(`  FAIL ${f}`)
    } catch (err) {
      if (isNetsimError(err, 'E_INTERRUPTED')) throw err
      suites.push({
        scenario: e.scenario,
        reportDir: null,
        passed: false,
        failures: [],
        rows: [],
        seeds,
        error: (err as Error).message,
        durationMs: Date.now() - started,
      })
      log(`  ERROR ${(err as Error).message}`)
    }
  }
  log(formatSensitivity(suites))
  const dir = new AtomicDir(join(reportsDir, 'regress', newRunId()))
  dir.write('regress.csv', regressCsv(suites))
  dir.write('junit.xml', junitXml(suites))
  dir.write('regress.tap', tapReport(suites))
  dir.write('regress.json', JSON.stringify(regressJson(o, entries, suites), null, 2) + '\n')
  const out = dir.commit()
  await updateReportsIndex(reportsDir, log, { compare: o.compare })
  const ok = suites.every((s) => s.passed && !s.error && s.rows.every((r) => r.verdict !== 'regressed'))
  return { ok, dir: out, suites }
}

/**
 * `netsim baseline update <scenario>`: runs it `runs` times, each with a fresh seed, and
 * stores the pooled samples (and, beside them, the seeds and run ids). Only passing runs make a
 * baseline.
 */
export const updateBaseline = async (
  e: RegressEntry,
  o: {
    runs: number
    reportsDir?: string
    configFile?: string | null
    signal?: AbortSignal
    log?: (l: string) => void
    runner?: EntryRunner
    seed?: number
  },
): Promise<string> => {
  const reportsDir = resolve(o.reportsDir ?? 'reports')
  const runner = o.runner ?? runEntry
  const base = o.seed ?? randomSeed()
  const done: (EntryRun & { seed: number })[] = []
  for (let k = 0; k < o.runs; k++) {
    const seed = base + k
    o.log?.(`baseline ${e.scenario}: run ${k + 1}/${o.runs} (seed ${seed})...`)
    const r = await runner(e, {
      seed,
      reportsDir,
      ...(o.configFile === undefined ? {} : { configFile: o.configFile }),
      ...(o.signal ? { signal: o.signal } : {}),
    })
    if (!r.passed)
      throw new NetsimError(
        'E_ASSERTION',
        `baseline ${e.scenario}: run ${k + 1} (seed ${seed}) failed its own assertions (${r.reportDir}); a baseline is made of passing runs only`,
      )
    done.push({ ...r, seed })
  }
  const file = baselinePath(e.scenario, reportsDir)
  writeBaseline(
    file,
    e.scenario,
    done.map((r) => ({ runId: r.runId, values: r.values })),
    {
      scenario: e.scenario,
      recorded_at: new Date().toISOString(),
      entry: { ...e },
      runs: done.map((r) => ({ run_id: r.runId, seed: r.seed })),
      versions: versions(done[0]?.binary ?? null),
    },
  )
  return file
}
