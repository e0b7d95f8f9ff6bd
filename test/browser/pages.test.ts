import t, { type Test } from 'tap'
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Browser } from 'playwright-core'
import { writeRunHtml } from '../../sim/report/html/run-html.ts'
import { renderCompareHtml } from '../../sim/report/html/compare-html.ts'
import { compareReports } from '../../sim/compare/compare-reports.ts'
import { writeReportsIndex } from '../../sim/report/index/index.ts'
import { regressCsv } from '../../sim/regress/run-regress.ts'
import { junitXml } from '../../sim/regress/junit.ts'
import { syntheticScaleRun } from '../helpers/synthetic-run.ts'
import { launch, skipWithoutChromium, watch } from './chromium.ts'

/**
 * The browser tier (docs/reports-html.md): every kind of page, opened in headless Chromium.
 * Reports are rendered by the current code from report folders that real runs wrote
 * (test/browser/fixtures/reports: failover and partition of `npm run regress`, chaos --seed 7,
 * two regress runs; a third regress run is written here) and from a synthetic 10,000-node run (test/helpers/synthetic-run.ts). A
 * page fails on any console error, uncaught error or request; its charts must have drawn their
 * marks; a full-page screenshot of each goes to reports/screenshots/ (NETSIM_SCREENSHOTS sets
 * another folder), a gitignored folder CI keeps as an artefact.
 */
t.setTimeout(240_000)

const FIXTURES = new URL('./fixtures/reports/', import.meta.url).pathname
const SHOTS = resolve(process.env['NETSIM_SCREENSHOTS'] ?? new URL('../../reports/screenshots/', import.meta.url).pathname)

const runDirs = (root: string): string[] =>
  readdirSync(root)
    .filter((s) => s !== 'regress' && statSync(join(root, s)).isDirectory())
    .flatMap((s) => readdirSync(join(root, s)).map((id) => join(root, s, id)))

const only = (root: string, scenario: string): string => {
  const ids = readdirSync(join(root, scenario)).sort()
  return join(root, scenario, ids[0] as string)
}

t.test('report, compare and index pages in headless Chromium', skipWithoutChromium(), async (t) => {
  const root = join(t.testdir(), 'reports')
  cpSync(FIXTURES, root, { recursive: true })
  for (const d of runDirs(root)) await writeRunHtml(d)
  const [a, b] = readdirSync(join(root, 'failover'))
    .sort()
    .map((id) => join(root, 'failover', id)) as [string, string]
  const cmp = compareReports(a, b, { out: join(root, 'compare') })
  writeFileSync(
    join(root, 'compare', 'compare.html'),
    await renderCompareHtml(cmp.rows, cmp.a.samples, cmp.b.samples, { a: cmp.a.label, b: cmp.b.label, scenario: 'failover' }),
  )
  // a third regress run in today's regress.csv format (the two recorded ones predate the allowance
  // columns, so they draw no threshold): the compare of the two failover runs, written by regress's own writer
  const third = join(root, 'regress', '20261203-000000-000000')
  mkdirSync(third, { recursive: true })
  const suites = [{ scenario: 'failover', reportDir: b, passed: true, failures: [], rows: cmp.rows, seeds: [1], durationMs: 0 }]
  writeFileSync(join(third, 'regress.csv'), regressCsv(suites))
  writeFileSync(join(third, 'junit.xml'), junitXml(suites))
  const index = await writeReportsIndex(root)
  mkdirSync(SHOTS, { recursive: true })

  const browser: Browser = await launch()
  t.teardown(() => browser.close())

  /** Opens a page, fails on what it did wrong, saves its screenshot, returns it for checks. */
  const open = async (t: Test, name: string, file: string) => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const problems = watch(page, file)
    const t0 = performance.now()
    await page.goto(`file://${file}`, { waitUntil: 'load' })
    const ms = performance.now() - t0
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
    t.strictSame(problems, [], `${name}: no console error, no request`)
    // every chart drew something: an svg with a size, in a box of the page
    const sizes = await page.$$eval('.chart svg', (svgs) => svgs.map((s) => s.getBoundingClientRect().width))
    t.ok(sizes.length > 0 && sizes.every((w) => w > 100), `${name}: ${sizes.length} charts drawn`)
    const bytes = statSync(file).size
    t.comment(`${name}: ${bytes} bytes, loaded in ${ms.toFixed(0)} ms`)
    return { page, ms, bytes }
  }
  const count = (p: Awaited<ReturnType<typeof open>>['page'], sel: string) => p.locator(sel).count()

  await t.test('report.html of a failover (kill)', async (t) => {
    const { page } = await open(t, 'report-failover', join(a, 'report.html'))
    t.equal(await count(page, '#orch-load g.orch_line_marks path'), 3, 'one line per orchestrator')
    t.equal(await count(page, '#recovery g.r0_curve_marks path'), 3, 'detected, reconnected, resumed')
    t.ok((await count(page, '#recovery [class*="r0_limit_marks"] line')) >= 2, 'the assertions drawn as limits')
    t.ok((await count(page, '#timeline g.segment_marks path')) >= 30 * 2, 'a row per node, several segments')
    t.equal(await count(page, 'h3:has-text("Zoom: kill orch-0")'), 1, 'a zoom of the fault')
    t.ok(await count(page, '#cdf-discovery svg'))
    t.ok(await count(page, '#cdf-failover svg'))
    const first = await page.$eval('.chart', (el) => el.id)
    t.equal(first, 'orch-load', 'nodes per orchestrator is the first chart')
  })

  await t.test('report.html of a partition', async (t) => {
    const { page } = await open(t, 'report-partition', join(only(root, 'partition'), 'report.html'))
    t.equal(await count(page, '#orch-load g.orch_line_marks path'), 3)
    t.equal(await count(page, '#recovery g.r0_curve_marks path'), 3)
    t.ok((await count(page, '#recovery [class*="r0_limit"]')) > 0, 'edge detection bounds drawn')
  })

  await t.test('report.html of a chaos run (seed 7): a recovery panel per fault', async (t) => {
    const { page } = await open(t, 'report-chaos', join(only(root, 'chaos'), 'report.html'))
    const panels = await page.$$eval('#recovery g[class*="_curve_marks"]', (gs) => new Set(gs.map((g) => g.getAttribute('class'))).size)
    t.ok(panels >= 2, `${panels} panels`)
    t.equal(await count(page, '#orch-load g.orch_line_marks path'), 3)
    t.ok((await count(page, 'h3:has-text("Zoom:")')) >= 2, 'a zoom per fault')
  })

  await t.test('compare.html: both recovery curves, CDFs with verdicts', async (t) => {
    const { page } = await open(t, 'compare-failover', join(root, 'compare', 'compare.html'))
    t.equal(await count(page, '#recovery g[class*="_curve_marks"] path'), 6, '3 curves x 2 sides')
    t.ok(
      (await count(page, 'svg text:has-text(": same"), svg text:has-text(": regressed"), svg text:has-text(": improved")')) > 0,
      'verdicts in the titles',
    )
  })

  await t.test('reports/index.html after three regress runs', async (t) => {
    const { page } = await open(t, 'index', index)
    t.ok((await count(page, 'svg g[class*="trend_"][class*="_marks"] path')) > 0, 'the trend lines')
    t.ok((await count(page, '#trend-failover svg g[class*="threshold_"] line')) > 0, "the thresholds, from the third run's allowances")
    const links = await page.$$eval('a', (as) => as.map((x) => x.getAttribute('href') ?? ''))
    t.ok(links.length >= runDirs(root).length, `${links.length} links`)
    t.strictSame(
      links.filter((l) => !existsSync(join(root, l))),
      [],
      'every link leads to a file',
    )
  })

  await t.test('a 10,000-node report stays small and opens quickly', async (t) => {
    const synth = syntheticScaleRun(join(t.testdir(), 'reports'), 10_000)
    const t0 = performance.now()
    const file = await writeRunHtml(synth.dir)
    const renderMs = performance.now() - t0
    const { page, ms, bytes } = await open(t, 'report-scale-10000', file)
    t.equal(await count(page, '#orch-load g.orch_line_marks path'), 3)
    t.ok((await count(page, '#timeline g.segment_marks path')) <= 300 * 6, 'rows sampled')
    t.ok(bytes < 2_000_000, `report.html ${(bytes / 1e6).toFixed(2)} MB`)
    t.ok(ms < 5_000, `opened in ${ms.toFixed(0)} ms`)
    t.comment(
      `10,000 nodes (${synth.events} events): rendered in ${renderMs.toFixed(0)} ms, report.html ${bytes} bytes, opened in ${ms.toFixed(0)} ms`,
    )
  })
})
