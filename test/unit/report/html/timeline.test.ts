import t from 'tap'
import { event as e } from '../../../helpers/events.ts'
import { faultBands, nodeSegments, runEnd, sampleEvenly, timelineData, timelineSvg } from '../../../../sim/report/html/timeline.ts'
import { cdfPoints } from '../../../../sim/report/html/cdf-chart.ts'
import type { SimEvent } from '../../../../sim/core/events.ts'

t.test('nodeSegments: connecting, connected, disconnected (through reconnecting), closed; stopped ends the row', async (t) => {
  const events = [
    e(0, 'node.start', { node: 'a' }),
    e(5, 'node.start', { node: 'b' }),
    e(10, 'node.connected', { node: 'a' }),
    e(12, 'node.pool', { node: 'a' }),
    e(20, 'node.disconnected', { node: 'a' }),
    e(21, 'node.reconnecting', { node: 'a' }),
    e(30, 'node.reconnected', { node: 'a' }),
    e(15, 'node.connected', { node: 'b' }),
    e(40, 'node.disconnected', { node: 'b' }),
    e(50, 'node.closed', { node: 'b' }),
    e(90, 'node.stopped', { node: 'a' }),
  ]
  const { nodes, segments } = nodeSegments(events, 100)
  t.strictSame(nodes, ['a', 'b'], 'start order')
  t.strictSame(
    segments.filter((s) => s.node === 'a').map((s) => [s.state, s.start, s.end]),
    [
      ['connecting', 0, 10],
      ['connected', 10, 20],
      ['disconnected', 20, 30],
      ['connected', 30, 90],
    ],
  )
  t.strictSame(
    segments.filter((s) => s.node === 'b').map((s) => [s.state, s.start, s.end]),
    [
      ['connecting', 5, 15],
      ['connected', 15, 40],
      ['disconnected', 40, 50],
      ['closed', 50, 100],
    ],
  )
})

t.test('faultBands: apply to the heal of the same fault, or to the end', async (t) => {
  const events = [
    e(100, 'fault.apply', { orch: 'orch-0', data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'f0' } }),
    e(150, 'fault.apply', { orch: 'orch-1', data: { type: 'freeze', disruptive: true, target_kind: 'orchestrator', id: 'f1' } }),
    e(300, 'fault.heal', { orch: 'orch-0', data: { type: 'kill', id: 'f0' } }),
  ]
  t.strictSame(faultBands(events, 1000), [
    { start: 100, end: 300, label: 'kill orch-0', healed: true, id: 'f0' },
    { start: 150, end: 1000, label: 'freeze orch-1', healed: false, id: 'f1' },
  ])
  t.equal(runEnd(events), 300)
  t.equal(runEnd(events, 1200), 1200)
})

t.test('sampleEvenly keeps first and last and spreads the rest', async (t) => {
  const xs = Array.from({ length: 1000 }, (_, i) => i)
  const s = sampleEvenly(xs, 300)
  t.equal(s.length, 300)
  t.equal(s[0], 0)
  t.equal(s.at(-1), 999)
  t.ok(s.every((x, i) => i === 0 || x > (s[i - 1] as number)))
  t.strictSame(sampleEvenly([1, 2, 3], 300), [1, 2, 3])
  const d = timelineData(
    Array.from({ length: 500 }, (_, i) => e(i, 'node.start', { node: `n${i}` })),
    undefined,
    100,
  )
  t.equal(d.nodes.length, 100)
  t.equal(d.totalNodes, 500)
})

t.test('cdfPoints: a step from (min, 0) to (max, 1), thinned to at most max points', async (t) => {
  t.strictSame(cdfPoints([3, 1, 2]), [
    { x: 1, p: 0 },
    { x: 1, p: 1 / 3 },
    { x: 2, p: 2 / 3 },
    { x: 3, p: 1 },
  ])
  t.strictSame(cdfPoints([]), [])
  const many = cdfPoints(
    Array.from({ length: 10000 }, (_, i) => i),
    400,
  )
  t.equal(many.length, 401)
  t.strictSame(many.at(-1), { x: 9999, p: 1 })
})

t.test('moments close together stack on label rows and still render', async (t) => {
  const events: SimEvent[] = [
    e(0, 'node.start', { node: 'n1' }),
    e(1, 'node.connected', { node: 'n1', data: { server: 'h:1' } }),
    e(100, 'mark', { data: { name: 'discovered' } }),
    e(101, 'orch.start', { orch: 'orch-3', data: { joined: true } }),
    e(102, 'orch.ready', { orch: 'orch-3', data: { client: 'h:4', joined: true } }),
    e(200, 'node.stopped', { node: 'n1' }),
  ]
  const svg = await timelineSvg(timelineData(events, undefined, 100))
  t.match(svg, /<svg/)
})

t.test('segments carry the orchestrator a connected node is attached to; a move starts a new segment', async (t) => {
  const events = [
    e(0, 'orch.ready', { orch: 'orch-0', data: { client: 'h:1', joined: false } }),
    e(0, 'orch.ready', { orch: 'orch-1', data: { client: 'h:2', joined: false } }),
    e(1, 'node.start', { node: 'a', data: { group: 'g' } }),
    e(2, 'node.connected', { node: 'a', data: { server: 'h:1' } }),
    e(5, 'node.reconnected', { node: 'a', data: { server: 'h:2' } }),
    e(7, 'node.reconnected', { node: 'a', data: { server: 'h:9' } }),
  ]
  const { segments } = nodeSegments(events, 10)
  t.strictSame(
    segments.map((s) => [s.group, s.state, s.orch, s.start, s.end]),
    [
      ['g', 'connecting', null, 1, 2],
      ['g', 'connected', 'orch-0', 2, 5],
      ['g', 'connected', 'orch-1', 5, 7],
      ['g', 'connected', 'h:9', 7, 10],
    ],
    'an address no orch.ready names is shown as itself',
  )
})

t.test('timelineData: blocks by group and the orchestrator at the first fault, sampled in proportion', async (t) => {
  const events: SimEvent[] = [
    e(0, 'orch.ready', { orch: 'orch-0', data: { client: 'h:1', joined: false } }),
    e(0, 'orch.ready', { orch: 'orch-1', data: { client: 'h:2', joined: false } }),
  ]
  for (let i = 0; i < 900; i++) {
    events.push(e(1, 'node.start', { node: `n${i}`, data: { group: 'g' } }))
    events.push(e(2, 'node.connected', { node: `n${i}`, data: { server: i % 3 === 0 ? 'h:1' : 'h:2' } }))
  }
  events.push(e(10, 'fault.apply', { orch: 'orch-0', data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id: 'f' } }))
  const d = timelineData(events, 20, 90)
  t.strictSame(
    d.blocks.map((b) => [b.label, b.shown, b.total]),
    [
      ['g · orch-0', 30, 300],
      ['g · orch-1', 60, 600],
    ],
  )
  t.equal(d.nodes.length, 90)
  t.strictSame(d.orchestrators, ['orch-0', 'orch-1'])
  const zoom = timelineData(events, 20, 90, { only: new Set(['n0', 'n3']) })
  t.strictSame(zoom.nodes, ['n0', 'n3'], 'a zoom: only the nodes asked for')
  const svg = await timelineSvg(d, { from: 5, to: 15, id: 'z' })
  t.match(svg, /g · orch-0 \(30 of 300\)/, 'block labels on the axis')
})
