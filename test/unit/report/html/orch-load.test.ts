import t from 'tap'
import { event as e } from '../../../helpers/events.ts'
import { nodeSegments } from '../../../../sim/report/html/segments.ts'
import { BINS, MAX_EXACT_POINTS, orchLoad, orchLoadSvg, UNATTACHED } from '../../../../sim/report/html/orch-load.ts'
import type { SimEvent } from '../../../../sim/core/events.ts'

const at = (load: ReturnType<typeof orchLoad>, series: string, t: number): number => {
  const pts = load.points.filter((p) => p.series === series && p.t <= t)
  return pts.at(-1)?.nodes ?? 0
}

t.test('nodes per orchestrator: a kill moves the count from one line to the others', async (t) => {
  const events: SimEvent[] = [
    e(0, 'orch.ready', { orch: 'orch-0', data: { client: 'h:1', joined: false } }),
    e(0, 'orch.ready', { orch: 'orch-1', data: { client: 'h:2', joined: false } }),
    e(0, 'orch.ready', { orch: 'orch-2', data: { client: 'h:3', joined: false } }),
  ]
  for (let i = 0; i < 6; i++) {
    events.push(e(1, 'node.start', { node: `n${i}`, data: { group: 'g' } }))
    events.push(e(2, 'node.connected', { node: `n${i}`, data: { server: i < 4 ? 'h:1' : 'h:2' } }))
  }
  for (let i = 0; i < 4; i++) {
    events.push(e(10, 'node.disconnected', { node: `n${i}`, data: { server: 'h:1' } }))
    events.push(e(11 + i, 'node.reconnected', { node: `n${i}`, data: { server: i % 2 ? 'h:2' : 'h:3' } }))
  }
  const { segments } = nodeSegments(events, 20)
  const load = orchLoad(segments, 20, ['orch-0', 'orch-1', 'orch-2'])
  t.strictSame(load.orchestrators, ['orch-0', 'orch-1', 'orch-2'])
  t.equal(at(load, 'orch-0', 5), 4)
  t.equal(at(load, 'orch-1', 5), 2)
  t.equal(at(load, 'orch-2', 5), 0, 'an orchestrator no node is on still has its line')
  t.equal(at(load, UNATTACHED, 1.5), 6, 'starting: attached to none')
  t.equal(at(load, UNATTACHED, 10.5), 4, 'between the disconnect and the reconnect')
  t.equal(at(load, 'orch-0', 16), 0)
  t.equal(at(load, 'orch-1', 16), 4)
  t.equal(at(load, 'orch-2', 16), 2)
  t.equal(load.peak, 4)
  const svg = await orchLoadSvg(load, [], [])
  t.match(svg, /orch_line_marks/)
  // vega draws each series of a line mark in a container of its own
  t.equal(svg.match(/role-mark orch_line_marks"/g)?.length, 3, 'one line per orchestrator')
})

t.test('a large run is resampled to a bounded number of points per line', async (t) => {
  const events: SimEvent[] = [e(0, 'orch.ready', { orch: 'orch-0', data: { client: 'h:1', joined: false } })]
  for (let i = 0; i < 5000; i++) {
    events.push(e(i, 'node.start', { node: `n${i}`, data: { group: 'g' } }))
    events.push(e(i + 0.5, 'node.connected', { node: `n${i}`, data: { server: 'h:1' } }))
  }
  const { segments } = nodeSegments(events, 6000)
  const load = orchLoad(segments, 6000)
  const line = load.points.filter((p) => p.series === 'orch-0')
  t.ok(line.length <= BINS + 2 && MAX_EXACT_POINTS < 5000, `${line.length} points`)
  t.equal(line.at(-1)?.nodes, 5000, 'the count is still exact at the end')
})
