import t from 'tap'
import { event as e } from '../../../helpers/events.ts'
import { reachedBy, recoveryFaults, recoveryLimits } from '../../../../sim/report/html/recovery.ts'
import { curvePoints, recoverySvg } from '../../../../sim/report/html/recovery-chart.ts'
import type { SimEvent } from '../../../../sim/core/events.ts'

const kill = (t: number, orch: string, id: string) =>
  e(t, 'fault.apply', { orch, data: { type: 'kill', disruptive: true, target_kind: 'orchestrator', id } })

const events: SimEvent[] = [
  e(0, 'orch.ready', { orch: 'orch-0', data: { client: 'h:1', joined: false } }),
  e(0, 'orch.ready', { orch: 'orch-1', data: { client: 'h:2', joined: false } }),
  ...['a', 'b', 'c'].map((n) => e(1, 'node.start', { node: n, data: { group: 'g' } })),
  ...['a', 'b', 'c'].map((n) => e(2, 'node.connected', { node: n, data: { server: 'h:1' } })),
  kill(100, 'orch-0', 'f1'),
  e(101, 'node.disconnected', { node: 'a', data: { server: 'h:1' } }),
  e(102, 'node.disconnected', { node: 'b', data: { server: 'h:1' } }),
  e(110, 'node.reconnected', { node: 'a', data: { server: 'h:2' } }),
  e(150, 'orch.heartbeat', { orch: 'orch-1', node: 'a', data: { seq: 1 } }),
  e(300, 'fault.heal', { orch: 'orch-0', data: { type: 'kill', id: 'f1' } }),
  kill(400, 'orch-1', 'f2'), // a's server now: one node hit
]

t.test('recoveryFaults: per fault, the nodes it hit and when each got where', async (t) => {
  const fs = recoveryFaults(events)
  t.strictSame(
    fs.map((f) => [f.id, f.label, f.affected, f.heal]),
    [
      ['f1', 'kill orch-0', 3, 200],
      ['f2', 'kill orch-1', 1, null],
    ],
  )
  const f1 = fs[0]?.curves ?? []
  t.strictSame(
    f1.map((c) => [c.metric, c.values, c.n]),
    [
      ['detect_ms', [1, 2], 3],
      ['reconnect_ms', [10], 3],
      ['resume_ms', [50], 3],
    ],
    'nodes that never got there count in n only',
  )
  t.equal(reachedBy(f1[0] as never, 0.5), 2)
  t.equal(reachedBy(f1[0] as never, 1), null, 'not every node was detected')
})

t.test('recoveryLimits: bounds on percentiles of detect, reconnect, resume; nothing else', async (t) => {
  const limits = recoveryLimits(
    [
      { metric: 'reconnect_ms', stat: 'p99', max: 4000, text: 'r' },
      { metric: 'detect_ms', stat: 'min', min: 3500, text: 'd' },
      { metric: 'reconnect_ms', stat: 'missing', equals: 0, text: 'm' } as never,
      { metric: 'connect_ms', stat: 'p99', max: 10, text: 'c' },
    ],
    [{ text: 'r', ok: false }],
  )
  t.strictSame(limits, [
    { metric: 'reconnect_ms', q: 0.99, ms: 4000, kind: 'max', stat: 'p99', text: 'r', ok: false },
    { metric: 'detect_ms', q: 0, ms: 3500, kind: 'min', stat: 'min', text: 'd', ok: null },
  ])
})

t.test('curvePoints: from (0, 0), a step per node, flat to the edge at the fraction reached', async (t) => {
  t.strictSame(curvePoints({ metric: 'reconnect_ms', values: [20, 10], n: 4 }, 100), [
    { x: 0, p: 0 },
    { x: 10, p: 0.25 },
    { x: 20, p: 0.5 },
    { x: 100, p: 0.5 },
  ])
  const many = curvePoints({ metric: 'reconnect_ms', values: Array.from({ length: 10_000 }, (_, i) => i), n: 10_000 }, 20_000)
  t.ok(many.length <= 302, `${many.length} points for 10,000 nodes`)
})

t.test('one fault: one panel; several: small multiples with the limits drawn', async (t) => {
  const fs = recoveryFaults(events)
  const limits = recoveryLimits([{ metric: 'reconnect_ms', stat: 'p99', max: 40, text: 'r' }], [{ text: 'r', ok: false }])
  const one = await recoverySvg([{ title: 'x', curves: fs[0]?.curves ?? [], limits, heal: 60 }])
  t.match(one, /r0_curve_marks/)
  t.match(one, /reconnected p99 ≤ 40 ms FAILED/)
  t.match(one, />healed</)
  const two = await recoverySvg(fs.map((f) => ({ title: f.label, curves: f.curves })))
  t.match(two, /r1_curve_marks/)
})
