import t, { type Test } from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { renderRunHtml, writeRunHtml } from '../../../../sim/report/html/run-html.ts'
import { compareRecovery, renderCompareHtml } from '../../../../sim/report/html/compare-html.ts'
import { compareReports } from '../../../../sim/compare/compare-reports.ts'
import { eventsCsv } from '../../../../sim/report/format/csv.ts'
import type { SimEvent } from '../../../../sim/core/events.ts'
import { around, baselineCsv, writeRun } from '../../compare/fixtures.ts'

/** Events of a small failover: n nodes connect, orch-0 is killed at 1 s and healed at 2 s, orch-1 frozen at 3 s and never healed. */
const failoverEvents = (n: number): SimEvent[] => {
  const ev: SimEvent[] = [{ t: 0, kind: 'run.start' } as SimEvent]
  ev.push({ t: 1, kind: 'orch.ready', orch: 'orch-0', data: { client: '127.0.0.1:1', joined: false } })
  ev.push({ t: 1, kind: 'orch.ready', orch: 'orch-1', data: { client: '127.0.0.1:2', joined: false } })
  for (let i = 0; i < n; i++) {
    const node = `n${i}`
    ev.push({ t: 10 + i / 100, kind: 'node.start', node, data: { group: 'compute' } })
    ev.push({ t: 50 + i / 100, kind: 'node.connected', node, data: { server: '127.0.0.1:1' } })
  }
  ev.push({ t: 1000, kind: 'fault.apply', orch: 'orch-0', data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'f1' } })
  ev.push({ t: 1010, kind: 'node.disconnected', node: 'n0', data: { server: '127.0.0.1:1' } })
  ev.push({ t: 1060, kind: 'node.reconnected', node: 'n0', data: { server: '127.0.0.1:2' } })
  ev.push({ t: 1020, kind: 'node.closed', node: 'n1', data: { reason: 'gave up' } })
  ev.push({ t: 2000, kind: 'fault.heal', orch: 'orch-0', data: { type: 'kill', id: 'f1' } })
  ev.push({ t: 3000, kind: 'fault.apply', orch: 'orch-1', data: { type: 'freeze', disruptive: true, target_kind: 'orchestrator', id: 'f2' } })
  ev.push({ t: 4000, kind: 'mark', data: { name: 'end' } })
  return ev
}

const METRICS = { connect_ms: around(40, 10), reconnect_ms: around(60, 20), resume_ms: around(1400, 100) }

const noExternal = (t: Test, html: string) => {
  t.notMatch(html, /<script/i, 'no script')
  t.notMatch(html, /\bsrc\s*=/i, 'no src=')
  t.notMatch(html, /<link/i, 'no link')
  t.notMatch(html, /https?:\/\//i, 'no URL at all')
  t.notMatch(html, /url\((?!#)/i, 'no url() but to an element of the page')
  t.notMatch(html, /@import/i, 'no @import')
}

t.test('report.html: nodes per orchestrator first, recovery, timeline with a zoom, CDFs by phase, nothing external', async (t) => {
  const dir = t.testdir()
  const run = writeRun(dir, { runId: 'r1', values: METRICS, extra: { 'events.csv': eventsCsv(failoverEvents(40)) } })
  const html = await renderRunHtml(run)
  // orch-load, recovery (both faults in one chart: n0 moved to orch-1 before it froze), timeline,
  // a zoom per fault, a CDF chart per phase (discovery, failover)
  t.equal(html.match(/<svg/g)?.length, 7)
  t.ok(html.indexOf('id="orch-load"') < html.indexOf('id="recovery"'), 'nodes per orchestrator is the first chart')
  t.match(html, /orch_line_marks/, 'a line per orchestrator')
  t.match(html, /id="cdf-discovery"[^]*?<svg/, 'discovery CDFs')
  t.match(html, /id="cdf-failover"[^]*?<svg/, 'failover CDFs')
  t.match(html, /tl_fault_window_marks/, 'fault-window layer in the timeline SVG')
  t.match(html, /<text[^>]*>kill orch-0<\/text>/, 'labelled')
  t.match(html, /freeze orch-1 \(not healed\)/, 'an unhealed fault runs to the end')
  t.match(html, /<td>kill orch-0<\/td><td>1\.000<\/td><td>2\.000<\/td><td>40<\/td>/, 'the fault table, with the nodes it hit')
  t.match(html, /Zoom: kill orch-0/)
  t.match(html, /PASS/)
  t.match(html, /<td class="l">reconnect_ms<\/td>/, 'the summary table')
  t.match(html, /40 nodes, a row each\./)
  noExternal(t, html)
  const file = await writeRunHtml(run)
  t.equal(file, join(run, 'report.html'))
  t.equal(readFileSync(file, 'utf8'), html, 'the same bytes every time')
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1])
  t.equal(new Set(ids).size, ids.length, 'element ids unique in the page')
})

t.test('text from the files is escaped', async (t) => {
  const dir = t.testdir()
  const run = writeRun(dir, { runId: 'r1', values: METRICS })
  const info = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as Record<string, unknown>
  writeFileSync(
    join(run, 'run.json'),
    JSON.stringify({
      ...info,
      config: { scenario: { description: '<img onerror=x> & "q"' } },
      assertions: [{ text: 'a < b', ok: false, actual: 1 }],
    }),
  )
  const html = await renderRunHtml(run)
  t.match(html, /&lt;img onerror=x&gt; &amp; &quot;q&quot;/)
  t.notMatch(html, /<img/)
  t.match(html, /<td class="bad">FAIL<\/td><td class="l">a &lt; b<\/td>/)
  t.match(html, /No events\.csv/)
})

t.test('many nodes: the timeline draws 300 rows, sampled within blocks, counts stated', async (t) => {
  const dir = t.testdir()
  const run = writeRun(dir, { runId: 'r1', values: { connect_ms: around(40, 10) }, extra: { 'events.csv': eventsCsv(failoverEvents(1000)) } })
  const html = await renderRunHtml(run)
  t.match(html, /1000 nodes, a row each: 300 rows drawn/)
  t.match(html, /compute · orch-0 \(300 of 1000\)/, 'the block label says how many are drawn')
})

t.test('several runs pooled in samples.csv: one CDF line per run', async (t) => {
  const dir = t.testdir()
  const run = writeRun(dir, { runId: 'r1', values: { connect_ms: around(40, 10) } })
  const text = readFileSync(join(run, 'samples.csv'), 'utf8')
  writeFileSync(join(run, 'samples.csv'), text + text.split('\n').slice(1).join('\n').replaceAll('r1,', 'r2,'))
  const html = await renderRunHtml(run)
  t.match(html, /compute · r1/)
  t.match(html, /compute · r2/)
})

t.test('a compare in the folder: its table, and A overlaid dashed', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(60, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(160, 20) } })
  compareReports(a, b)
  const html = await renderRunHtml(b)
  t.match(html, /<h2>Compare<\/h2>/)
  t.match(html, /<td class="regressed">regressed<\/td>/)
  t.match(html, /A: a \(all\)/, 'legend names the reference')
  t.match(html, /stroke-dasharray/, 'drawn dashed')
  noExternal(t, html)
})

t.test('compare.html: recovery curves overlaid, CDFs by phase with verdicts, A dashed, B solid', async (t) => {
  const dir = t.testdir()
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(60, 20), detect_ms: around(20, 5) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(160, 20), detect_ms: around(20, 5) } })
  const r = compareReports(a, b, { out: null })
  const html = await renderCompareHtml(r.rows, r.a.samples, r.b.samples, { a: 'a', b: 'b', scenario: 'failover', notes: ['profile differs'] })
  t.equal(html.match(/<svg/g)?.length, 2, 'the recovery chart and the failover phase')
  t.match(html, /id="recovery"[^]*?cmp-recovery/)
  t.match(html, /reconnect_ms: regressed/, 'the verdict in the panel title')
  t.match(html, /1 REGRESSED/)
  t.match(html, /A: a/)
  t.match(html, /B: b/)
  t.match(html, /stroke-dasharray/)
  t.match(html, /note: profile differs/)
  noExternal(t, html)
  t.ok(existsSync(a))
})

t.test('compare.html against a baseline: its missing values (empty cells) keep its recovery curves below 100 %', async (t) => {
  const dir = t.testdir()
  // three baseline runs of 10 nodes; in each, 2 nodes never reconnected
  const run = { reconnect_ms: [...around(60, 20, 8), null, null], detect_ms: around(20, 5, 10) }
  const base = join(dir, 'failover.csv')
  writeFileSync(base, baselineCsv('failover', [run, run, run]))
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(60, 20, 10), detect_ms: around(20, 5, 10) } })
  const r = compareReports(base, b, { out: null })
  const row = r.rows.find((x) => x.metric === 'reconnect_ms')
  t.equal(row?.a_missing, 6, 'the baseline knows its missing values')
  const curves = compareRecovery(r.rows, r.a.samples, r.b.samples)
  const a = curves.find((c) => c.metric === 'reconnect_ms' && c.side === 'A')
  t.equal(a?.values.length, 24)
  t.equal(a?.n, 30, 'missing nodes in the denominator')
  t.equal(curves.find((c) => c.metric === 'reconnect_ms' && c.side === 'B')?.n, 10)
  t.equal(curves.find((c) => c.metric === 'detect_ms' && c.side === 'A')?.n, 30)
})

t.test('not a report folder', async (t) => {
  const dir = t.testdir({ empty: {} })
  await t.rejects(renderRunHtml(join(dir, 'empty')), { code: 'E_USAGE' })
  await t.rejects(renderRunHtml(join(dir, 'none')), { code: 'E_USAGE' })
})
