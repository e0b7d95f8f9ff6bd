import t from 'tap'
import { dataOf } from '../../helpers/events.ts'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { resolvePlans } from '../../../sim/config/resolve.ts'
import { runTransports } from '../../../sim/run/run-transports.ts'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'
import { ConsoleReporter } from '../../../sim/report/console.ts'
import { skipWithoutNats } from '../nats-available.ts'

// The libp2p-fallback timeline, small: both transports, ask_for_bid before and after a kill.
const SCENARIO = `
transports: [nats, libp2p]
profile: v1.3.1
time_scale: 0.05
orchestrators:
  count: 2
groups:
  - name: open
    count: 2
  - name: nat
    count: 2
    dialable: false
timeline:
  - wait_for: discovered
    timeout: 20s
  - ask_for_bid: { timeout: 10s }
  - fault: kill
    target: orch-0
  - wait_for: recovered
    timeout: 2s
    on_timeout: note
  - ask_for_bid: { timeout: 10s, metric: bid_after_loss_ms }
assertions:
  - { metric: bid_ms, group: nat, stat: missing, equals: 0, when_transport: [nats] }
  - { metric: bid_after_loss_ms, group: nat, stat: missing, equals: 0, when_transport: [nats] }
  - { metric: bid_after_loss_ms, group: nat, stat: missing, min: 1, when_transport: [libp2p] }
  - { metric: bid_after_loss_ms, group: open, stat: missing, equals: 0 }
`

t.test('one scenario over NATS and over libp2p: ask_for_bid on both, compare.csv and samples.csv', skipWithoutNats(), async (t) => {
  const dir = t.testdir({ 'fb.yaml': SCENARIO })
  const lines: string[] = []
  const out = new ConsoleReporter({
    stream: Object.assign(new (await import('node:stream')).Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }), { isTTY: false }),
  })
  const plans = resolvePlans({ scenario: join(dir, 'fb.yaml'), configFile: null, seed: 5, reports_dir: join(dir, 'reports'), workers: 2 })
  t.strictSame(
    plans.map((p) => p.transport),
    ['nats', 'libp2p'],
  )
  const r = await runTransports(plans, { console: out })
  const [nats, libp2p] = r.runs
  if (nats === undefined || libp2p === undefined) throw new Error('two runs')
  t.equal(
    r.passed,
    true,
    `both passed: ${r.runs
      .map((x) =>
        x.assertions
          .filter((a) => !a.ok)
          .map((a) => `${x.plan.transport} ${a.text} = ${a.actual}`)
          .join('; '),
      )
      .join(' ')}`,
  )
  for (const x of r.runs) t.same(processesOfRun(x.runId), [], `${x.plan.transport}: nothing left running`)

  const row = (run: typeof nats, metric: string, group: string) => run.summary.find((s) => s.metric === metric && s.group === group)
  // NATS: every node answers every orchestrator, NATed or not, before and after the loss.
  t.strictSame([row(nats, 'bid_ms', 'nat')?.count, row(nats, 'bid_ms', 'nat')?.missing], [4, 0], 'NATS: 2 orchestrators x 2 NATed nodes')
  t.strictSame(
    [row(nats, 'bid_after_loss_ms', 'nat')?.count, row(nats, 'bid_after_loss_ms', 'nat')?.missing],
    [2, 0],
    'NATS: the survivor reaches both',
  )
  t.ok(nats.events.some((e) => e.kind === 'orch.bid' && dataOf(e)['code'] === 'OK'))
  // libp2p: the survivor reaches the dialable nodes, and the NATed one that dialled it only.
  t.strictSame([row(libp2p, 'bid_after_loss_ms', 'open')?.missing, row(libp2p, 'bid_after_loss_ms', 'nat')?.missing], [0, 1])
  t.equal(nats.notes.length, 0, 'NATS recovered')
  t.equal(libp2p.notes.length, 1, 'libp2p did not (noted)')

  // The combined folder.
  t.equal(r.reportDir, join(dir, 'reports', 'fb', r.runId))
  t.strictSame(readdirSync(r.reportDir).sort(), ['compare.csv', 'report.html', 'samples.csv', 'transports.json'])
  const [header, ...rows] = parse(readFileSync(join(r.reportDir, 'compare.csv'), 'utf8')) as string[][]
  t.strictSame(header, [
    'metric',
    'group',
    'nats_count',
    'libp2p_count',
    'nats_p50',
    'libp2p_p50',
    'nats_p95',
    'libp2p_p95',
    'nats_p99',
    'libp2p_p99',
    'p50_ratio',
  ])
  t.strictSame(rows.find((x) => x[0] === 'bid_after_loss_ms' && x[1] === 'nat')?.slice(2, 4), ['2', '1'])
  t.strictSame(rows.find((x) => x[0] === 'register_ms' && x[1] === 'all')?.slice(2, 4), ['4', '0'], 'a NATS-only metric: libp2p count 0')
  const samples = readFileSync(join(r.reportDir, 'samples.csv'), 'utf8').trim().split('\n')
  t.equal(samples[0], 'transport,run_id,scenario,group,node,metric,value_ms')
  t.ok(samples.some((l) => l.startsWith(`nats,${nats.runId},`)) && samples.some((l) => l.startsWith(`libp2p,${libp2p.runId},`)))
  const meta = JSON.parse(readFileSync(join(r.reportDir, 'transports.json'), 'utf8'))
  t.strictSame(
    meta.transports.map((x: { transport: string; report_dir: string }) => [x.transport, x.report_dir]),
    [
      ['nats', nats.reportDir],
      ['libp2p', libp2p.reportDir],
    ],
  )
  t.ok(
    readdirSync(nats.reportDir).includes('summary.csv') && readdirSync(libp2p.reportDir).includes('summary.csv'),
    'each run has its normal report folder',
  )

  // The console: one line per transport saying what failed.
  const text = lines.join('')
  t.match(text, /^ {2}nats: {3}PASS; nothing failed$/m)
  t.match(text, /^ {2}libp2p: PASS; not reached: recovered: .*bid_after_loss_ms failed: nat 1 of 2 calls UNREACHABLE/m)
})
