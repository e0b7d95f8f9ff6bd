import t from 'tap'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { freshSeed, runRegress, updateBaseline } from '../../../sim/regress/run-regress.ts'
import { baselineInfoPath, baselinePath, type BaselineInfo } from '../../../sim/regress/baseline-file.ts'
import { parseCompareSettings } from '../../../sim/config/compare-settings.ts'
import { RegressSettingsSchema } from '../../../sim/config/regress-settings.ts'
import { NetsimError, isNetsimError } from '../../../sim/core/errors.ts'
import { runAround, stubRunner } from './stub-runner.ts'
import { scanRegress, trendPanels } from '../../../sim/report/index/index.ts'

const compare = parseCompareSettings({})
const suite0 = (r: { suites: { seeds: number[]; rows: { metric: string; verdict: string }[] }[] }) => r.suites[0]
const settings = RegressSettingsSchema.parse({ baseline_runs: 6, runs: 3, scenarios: [{ scenario: 'failover', nodes: 30 }] })

/** A baseline of 6 runs (seeds 100..105) around 20 ms detect, 40 ms reconnect. */
const withBaseline = async (reportsDir: string) => {
  const { runner } = stubRunner((seed) => ({ detect_ms: runAround(20, seed), reconnect_ms: runAround(40, seed) }))
  return updateBaseline(settings.scenarios[0] as never, { runs: 6, reportsDir, runner, seed: 100 })
}

t.test('freshSeed: never a seed (or following seed) a baseline run used', async (t) => {
  const draws = [4, 11, 8, 500]
  const draw = () => draws.shift() as number
  // baseline seeds 1..10; 3 runs need s, s+1, s+2 all free: 4 and 8 collide, 11 is free
  t.equal(freshSeed([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, draw), 11)
  t.strictSame(draws, [8, 500])
  const d2 = [9, 500]
  t.equal(
    freshSeed([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 3, () => d2.shift() as number),
    500,
    '9, 10, 11 overlaps the baseline',
  )
})

t.test('updateBaseline: runs pooled, seeds and run ids beside them', async (t) => {
  const reportsDir = t.testdir()
  const file = await withBaseline(reportsDir)
  t.equal(file, baselinePath('failover', reportsDir))
  const rows = readFileSync(file, 'utf8').trim().split('\n')
  t.equal(rows.length, 1 + 6 * 60, 'header + 6 runs x 30 nodes x 2 metrics')
  const info = JSON.parse(readFileSync(baselineInfoPath(file), 'utf8')) as BaselineInfo
  t.strictSame(
    info.runs.map((r) => r.seed),
    [100, 101, 102, 103, 104, 105],
  )
  t.strictSame(
    info.runs.map((r) => r.run_id),
    [100, 101, 102, 103, 104, 105].map((s) => `failover-${s}`),
  )
  t.strictSame(info.entry, { scenario: 'failover', nodes: 30 })
})

t.test('updateBaseline: a failing run makes no baseline', async (t) => {
  const reportsDir = t.testdir()
  const { runner } = stubRunner((seed) => ({ detect_ms: runAround(20, seed) }), { passed: (seed) => seed !== 2 })
  const err = await updateBaseline({ scenario: 'failover' }, { runs: 3, reportsDir, runner, seed: 1 }).catch((e: unknown) => e)
  t.ok(isNetsimError(err, 'E_ASSERTION'))
  t.match((err as Error).message, /run 2 \(seed 2\) failed its own assertions/)
  t.notOk(existsSync(baselinePath('failover', reportsDir)))
})

t.test('runRegress: runs pooled with fresh seeds, judged against the baseline; nothing changed passes', async (t) => {
  const reportsDir = t.testdir()
  await withBaseline(reportsDir)
  const { runner, calls } = stubRunner((seed) => ({ detect_ms: runAround(20, seed), reconnect_ms: runAround(40, seed) }))
  const lines: string[] = []
  const r = await runRegress({ settings, compare, reportsDir, runner, log: (l) => lines.push(l) })
  t.equal(calls.length, 3)
  const seeds = calls.map((c) => c.seed)
  t.strictSame(seeds, [seeds[0], (seeds[0] as number) + 1, (seeds[0] as number) + 2], 'consecutive seeds')
  t.notOk(
    seeds.some((s) => s >= 100 && s <= 105),
    'none of the baseline seeds',
  )
  t.ok(r.ok)
  const suite = r.suites[0]
  t.strictSame(suite?.seeds, seeds)
  t.strictSame(
    suite?.rows.map((x) => [x.metric, x.verdict, x.a_runs, x.b_runs]),
    [
      ['detect_ms', 'same', 6, 3],
      ['reconnect_ms', 'same', 6, 3],
    ],
  )
  // the sensitivity table is printed
  const text = lines.join('\n')
  t.match(text, /sensitivity: the smallest change/)
  t.match(text, /failover\s+detect_ms\s+6\s+3\s+20\.\d\s+\S+\s+\+\S+ \(x\d\.\d\d\)/)
  // and written: regress.csv with scenario, seeds and each metric's allowance; junit.xml; regress.tap; regress.json
  t.strictSame(readdirSync(r.dir).sort(), ['junit.xml', 'regress.csv', 'regress.json', 'regress.tap'])
  const csv = readFileSync(join(r.dir, 'regress.csv'), 'utf8').trim().split('\n')
  t.match(csv[0], /^scenario,seeds,metric,group,.*,mde_p50_ms,mde_p95_ms$/)
  t.match(csv[1], new RegExp(`^failover,${seeds.join(' ')},detect_ms,all,`))
  // the settings used, to reproduce it
  t.strictSame(JSON.parse(readFileSync(join(r.dir, 'regress.json'), 'utf8')), {
    compare,
    timers: {},
    runs: 3,
    scenarios: [{ scenario: 'failover', nodes: 30, runs: 3, seeds }],
  })
  // the reports index drew the trend, the threshold from the recorded allowance
  const [run] = scanRegress(reportsDir)
  const row = suite?.rows[0]
  t.strictSame(trendPanels(scanRegress(reportsDir))[0]?.lines[0], {
    stat: 'p50',
    baseline: row?.a_p50,
    threshold: Math.round(((row?.a_p50 as number) + (row?.mde_p50_ms as number)) * 1000) / 1000,
  })
  t.equal(run?.rows.length, 2)
  t.match(readFileSync(join(reportsDir, 'index.html'), 'utf8'), /threshold_0_marks/)
})

t.test('runRegress: a doubled metric regresses, a failing run fails, pinned seeds are used', async (t) => {
  const reportsDir = t.testdir()
  await withBaseline(reportsDir)
  const { runner, calls } = stubRunner((seed) => ({ detect_ms: runAround(20, seed), reconnect_ms: runAround(80, seed) }), {
    passed: (s) => s !== 501,
  })
  const r = await runRegress({ settings, compare, reportsDir, runner, seed: 500, timers: { reconnect_wait: '4s' }, log: () => {} })
  t.notOk(r.ok)
  t.strictSame(
    calls.map((c) => c.seed),
    [500, 501, 502, 503, 504, 505],
    'the regression is confirmed by as many runs again, on the next seeds',
  )
  t.strictSame(suite0(r)?.seeds, [500, 501, 502, 503, 504, 505])
  t.strictSame(calls[0]?.timers, { reconnect_wait: '4s' }, 'timer overrides reach every run')
  const suite = r.suites[0]
  t.equal(suite?.rows.find((x) => x.metric === 'reconnect_ms')?.verdict, 'regressed')
  t.equal(suite?.rows.find((x) => x.metric === 'detect_ms')?.verdict, 'same')
  t.equal(suite?.passed, false)
  t.strictSame(suite?.failures, ['failover-501: reconnect_ms missing = 0 (actual 2)'])
  const junit = readFileSync(join(r.dir, 'junit.xml'), 'utf8')
  t.match(junit, /<testcase classname="netsim.failover" name="all.reconnect_ms"><failure message="p50 \+/)
})

t.test('runRegress: a regression the first runs show and the confirming runs do not is not one', async (t) => {
  const reportsDir = t.testdir()
  await withBaseline(reportsDir)
  // the first three runs a third slower (a busy minute of the machine), the next three a little
  // faster than the baseline (a quiet one): together under a tenth slower, within the floor
  const { runner, calls } = stubRunner((seed, call) => ({
    detect_ms: runAround(call < 3 ? 26.5 : 17, seed),
    reconnect_ms: runAround(40, seed),
  }))
  const lines: string[] = []
  const r = await runRegress({ settings, compare, reportsDir, runner, seed: 700, log: (l) => lines.push(l) })
  t.equal(calls.length, 6)
  t.ok(r.ok, 'not confirmed: the gate passes')
  t.equal(suite0(r)?.rows.find((x) => x.metric === 'detect_ms')?.verdict, 'same')
  t.match(lines.join('\n'), /failover: all\.detect_ms regressed in the first 3 run\(s\); 3 more to confirm \(seeds 703, 704, 705\)/)
  t.match(lines.join('\n'), /failover: not confirmed/)
  // with confirm off, the first runs decide
  const off = RegressSettingsSchema.parse({ ...settings, confirm: false })
  const again = stubRunner((seed, call) => ({ detect_ms: runAround(call < 3 ? 26.5 : 17, seed), reconnect_ms: runAround(40, seed) }))
  const r2 = await runRegress({ settings: off, compare, reportsDir, runner: again.runner, seed: 700, log: () => {} })
  t.equal(again.calls.length, 3)
  t.notOk(r2.ok)
})

t.test('runRegress: no baseline is an error of that scenario, an interrupt stops everything', async (t) => {
  const reportsDir = t.testdir()
  const { runner, calls } = stubRunner((seed) => ({ detect_ms: runAround(20, seed) }))
  const r = await runRegress({ settings, compare, reportsDir, runner, log: () => {} })
  t.notOk(r.ok)
  t.match(r.suites[0]?.error, /no baseline for failover at .*: create it with `npm run netsim -- baseline update failover`/)
  t.equal(calls.length, 0, 'nothing run without a baseline to compare with')
  await withBaseline(reportsDir)
  const interrupted = await runRegress({
    settings,
    compare,
    reportsDir,
    log: () => {},
    runner: async () => {
      throw new NetsimError('E_INTERRUPTED', 'interrupted')
    },
  }).catch((e: unknown) => e)
  t.ok(isNetsimError(interrupted, 'E_INTERRUPTED'))
  const none = await runRegress({ settings, compare, reportsDir, runner, only: ['nope'], log: () => {} }).catch((e: unknown) => e)
  t.ok(isNetsimError(none, 'E_USAGE'))
})
