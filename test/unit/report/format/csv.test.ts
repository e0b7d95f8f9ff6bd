import t from 'tap'
import type { SimEvent } from '../../../../sim/core/events.ts'
import {
  EVENTS_COLUMNS,
  SAMPLES_COLUMNS,
  SUMMARY_COLUMNS,
  eventsCsv,
  samplesCsv,
  summaryCsv,
  type SummaryContext,
} from '../../../../sim/report/format/csv.ts'
import type { SummaryRow } from '../../../../sim/metrics/index.ts'

t.test('column constants', async (t) => {
  t.strictSame([...EVENTS_COLUMNS], ['t_ms', 'kind', 'node', 'orchestrator', 'data'])
  t.strictSame([...SAMPLES_COLUMNS], ['run_id', 'scenario', 'group', 'node', 'metric', 'value_ms'])
  t.strictSame(
    [...SUMMARY_COLUMNS],
    [
      'scenario',
      'transport',
      'profile',
      'backend',
      'group',
      'nodes',
      'orchestrators',
      'metric',
      'count',
      'missing',
      'min',
      'p50',
      'p90',
      'p95',
      'p99',
      'max',
      'mean',
    ],
  )
})

t.test('events.csv: header, ms with 3 decimals, empty cells, quoted JSON', async (t) => {
  const text = eventsCsv([
    { t: 0, kind: 'run.start' } as SimEvent,
    { t: 12.3456, kind: 'node.connected', node: 'n1', data: { server: '127.0.0.1:4222' } },
    { t: 20, kind: 'orch.heartbeat', orch: 'orch-0', node: 'n1', data: { seq: 3 } },
    { t: 21.5, kind: 'node.error', node: 'n2', data: { phase: 'connect', code: 'X', message: 'a "quoted", comma\nnewline' } },
  ])
  t.equal(
    text,
    [
      't_ms,kind,node,orchestrator,data',
      '0.000,run.start,,,',
      '12.346,node.connected,n1,,"{""server"":""127.0.0.1:4222""}"',
      '20.000,orch.heartbeat,n1,orch-0,"{""seq"":3}"',
      '21.500,node.error,n2,,"{""phase"":""connect"",""code"":""X"",""message"":""a \\""quoted\\"", comma\\nnewline""}"',
      '',
    ].join('\n'),
  )
  t.equal(eventsCsv([]), 't_ms,kind,node,orchestrator,data\n', 'header even when empty')
})

t.test('samples.csv: null values skipped, 3 decimals', async (t) => {
  const text = samplesCsv('run-1', 'failover', [
    { node: 'n1', group: 'g', metric: 'reconnect_ms', value_ms: 100 },
    { node: 'n2', group: 'g', metric: 'reconnect_ms', value_ms: null },
    { node: 'n3', group: 'g,h', metric: 'detect_ms', value_ms: 0.12345 },
  ])
  t.equal(
    text,
    ['run_id,scenario,group,node,metric,value_ms', 'run-1,failover,g,n1,reconnect_ms,100.000', 'run-1,failover,"g,h",n3,detect_ms,0.123', ''].join(
      '\n',
    ),
  )
  t.equal(samplesCsv('r', 's', []), 'run_id,scenario,group,node,metric,value_ms\n')
})

t.test('summary.csv: context columns, node counts by group, null stats as empty cells', async (t) => {
  const ctx: SummaryContext = {
    scenario: 'failover',
    transport: 'nats',
    profile: 'v1.5',
    backend: 'process',
    orchestrators: 3,
    nodes: { edge: 40, all: 100 },
  }
  const rows: SummaryRow[] = [
    { group: 'edge', metric: 'reconnect_ms', count: 40, missing: 0, min: 1.5, p50: 2, p90: 3, p95: 3.5, p99: 4, max: 5, mean: 2.25 },
    { group: 'all', metric: 'reconnect_ms', count: 0, missing: 100, min: null, p50: null, p90: null, p95: null, p99: null, max: null, mean: null },
    { group: 'ghost', metric: 'x_ms', count: 0, missing: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, mean: 0 },
  ]
  t.equal(
    summaryCsv(ctx, rows),
    [
      'scenario,transport,profile,backend,group,nodes,orchestrators,metric,count,missing,min,p50,p90,p95,p99,max,mean',
      'failover,nats,v1.5,process,edge,40,3,reconnect_ms,40,0,1.5,2,3,3.5,4,5,2.25',
      'failover,nats,v1.5,process,all,100,3,reconnect_ms,0,100,,,,,,,',
      'failover,nats,v1.5,process,ghost,0,3,x_ms,0,0,0,0,0,0,0,0,0',
      '',
    ].join('\n'),
  )
})
