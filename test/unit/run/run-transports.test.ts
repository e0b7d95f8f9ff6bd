import t from 'tap'
import { parse } from 'csv-parse/sync'
import { compareTransports, compareTransportsCsv, transportSamplesCsv, describeOutcome } from '../../../sim/run/run-transports.ts'
import type { RunResult } from '../../../sim/run/run-scenario.ts'
import type { SummaryRow } from '../../../sim/metrics/summary.ts'
import { parseSamplesCsv } from '../../../sim/report/format/report-files.ts'

const row = (group: string, metric: string, count: number, p50: number | null, missing = 0): SummaryRow => ({
  group,
  metric,
  count,
  missing,
  min: p50,
  p50,
  p90: p50,
  p95: p50 === null ? null : p50 + 1,
  p99: p50 === null ? null : p50 + 2,
  max: p50,
  mean: p50,
})

t.test('compare.csv: the columns the issue names, one row per (metric, group) either run has', async (t) => {
  const nats = [
    row('open', 'connect_ms', 2, 10),
    row('all', 'connect_ms', 2, 10),
    row('open', 'register_ms', 2, 20),
    row('all', 'register_ms', 2, 20),
    row('all', 'bid_ms', 4, 5),
  ]
  const libp2p = [row('open', 'connect_ms', 2, 40), row('all', 'connect_ms', 2, 40), row('all', 'bid_ms', 2, 0, 2), row('nat', 'bid_ms', 0, null, 2)]
  const rows = compareTransports(
    [
      { transport: 'nats', summary: nats },
      { transport: 'libp2p', summary: libp2p },
    ],
    ['open', 'nat'],
  )
  t.strictSame(
    rows.map((r) => [r.metric, r.group]),
    [
      ['connect_ms', 'open'],
      ['connect_ms', 'all'],
      ['register_ms', 'open'],
      ['register_ms', 'all'],
      ['bid_ms', 'nat'],
      ['bid_ms', 'all'],
    ],
  )
  const csv = compareTransportsCsv(['nats', 'libp2p'], rows)
  const [header, ...body] = parse(csv) as string[][]
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
  t.strictSame(body[0], ['connect_ms', 'open', '2', '2', '10', '40', '11', '41', '12', '42', '4'], 'ratio: libp2p over nats')
  t.strictSame(body[2], ['register_ms', 'open', '2', '0', '20', '', '21', '', '22', '', ''], 'a metric libp2p lacks: count 0, no ratio')
  t.strictSame(body[4], ['bid_ms', 'nat', '0', '0', '', '', '', '', '', '', ''], 'all values missing on one side, no row on the other')
  t.strictSame(body[5]?.slice(-1), ['0'], 'nats 5, libp2p 0: ratio 0')
  const zero = compareTransports([
    { transport: 'nats', summary: [row('all', 'x_ms', 1, 0)] },
    { transport: 'libp2p', summary: [row('all', 'x_ms', 1, 3)] },
  ])
  t.equal(zero[0]?.p50Ratio, null, 'over a zero p50: no ratio')
})

const fakeRun = (transport: 'nats' | 'libp2p', extra: Partial<RunResult> = {}): RunResult =>
  ({
    runId: `run-${transport}`,
    events: [],
    lag: [],
    plan: { transport, scenario: { name: 'sc', file: '', description: '' } },
    reportDir: `/r/${transport}`,
    summary: [],
    values: [
      { node: 'n1', group: 'g', metric: 'connect_ms', value_ms: 1.5 },
      { node: 'n2', group: 'g', metric: 'connect_ms', value_ms: null },
    ],
    assertions: [],
    timeouts: [],
    notes: [],
    passed: true,
    ...extra,
  }) as unknown as RunResult

t.test('samples.csv carries the transport and reads back as samples', async (t) => {
  const text = transportSamplesCsv([fakeRun('nats'), fakeRun('libp2p')])
  t.equal(text.split('\n')[0], 'transport,run_id,scenario,group,node,metric,value_ms')
  const samples = parseSamplesCsv(text, 'samples.csv')
  t.strictSame(
    samples.map((s) => [s.transport, s.run_id, s.node, s.value_ms]),
    [
      ['nats', 'run-nats', 'n1', 1.5],
      ['libp2p', 'run-libp2p', 'n1', 1.5],
    ],
    'missing values are not samples',
  )
})

t.test('one line per transport says what failed', async (t) => {
  t.equal(describeOutcome(fakeRun('nats')), 'PASS; nothing failed')
  const libp2p = fakeRun('libp2p', {
    passed: false,
    events: [
      { t: 0, kind: 'node.start', node: 'n', data: { group: 'nat' } },
      { t: 1, kind: 'orch.bid', orch: 'orch-1', node: 'n', data: { ok: false, code: 'UNREACHABLE', ms: 0.2, metric: 'bid_after_loss_ms' } },
    ],
    assertions: [{ text: 'all.reconnect_ms.missing == 0', ok: false, actual: 3 }],
    notes: ['recovered: 3 of 3 nodes still pending after 5.0 s (n: not back)'],
    summary: [row('all', 'reconnect_ms', 0, null, 3), row('all', 'bid_after_loss_ms', 0, null, 1)],
  })
  t.equal(
    describeOutcome(libp2p),
    'FAIL; assertions failed: all.reconnect_ms.missing == 0 (actual 3); not reached: recovered: 3 of 3 nodes still pending after 5.0 s; bid_after_loss_ms failed: nat 1 of 1 calls UNREACHABLE; values missing: reconnect_ms 3',
  )
})
