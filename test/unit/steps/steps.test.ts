import t from 'tap'
import { ok, issues } from './parse-step.ts'
import { CONDITIONS, STEP_KEYWORDS, describeStep } from '../../../sim/steps/index.ts'

t.test('keywords and conditions', async (t) => {
  // other step kinds may be added; these must exist, in this order
  const core = ['wait', 'wait_for', 'fault', 'heal', 'restart', 'scale', 'mark']
  t.strictSame(
    STEP_KEYWORDS.filter((k) => core.includes(k)),
    core,
  )
  t.strictSame([...CONDITIONS], ['registered', 'discovered', 'pool_complete', 'recovered'])
})

t.test('every step kind parses', async (t) => {
  t.strictSame(ok({ wait: '2s' }), { kind: 'wait', duration: '2s' })
  t.strictSame(ok({ wait: 500 }), { kind: 'wait', duration: 500 })
  t.strictSame(ok({ wait: 'disconnect_after + check_period' }), { kind: 'wait', duration: 'disconnect_after + check_period' })
  for (const c of CONDITIONS) t.strictSame(ok({ wait_for: c, timeout: '30s' }), { kind: 'wait_for', condition: c, timeout: '30s' })
  t.strictSame(ok({ fault: 'kill', target: 'busiest' }), {
    kind: 'fault',
    fault: { type: 'kill', target: 'busiest', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ fault: 'default', target: 'random' }), {
    kind: 'fault',
    fault: { type: 'default', target: 'random', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ fault: 'lame-duck', target: 'orch-2' }), {
    kind: 'fault',
    fault: { type: 'lame-duck', target: 'orch-2', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ fault: 'freeze', target: 'orch-10' }), {
    kind: 'fault',
    fault: { type: 'freeze', target: 'orch-10', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ fault: 'stop', target: 'orch-0' }), {
    kind: 'fault',
    fault: { type: 'stop', target: 'orch-0', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ heal: 'all' }), { kind: 'heal', target: 'all' })
  t.strictSame(ok({ heal: 'orch-1' }), { kind: 'heal', target: 'orch-1' })
  t.strictSame(ok({ restart: 'orch-0' }), { kind: 'restart', target: 'orch-0', rotateToken: false })
  t.strictSame(ok({ restart: 'busiest' }), { kind: 'restart', target: 'busiest', rotateToken: false })
  t.strictSame(ok({ restart: 'all', rotate_token: true }), { kind: 'restart', target: 'all', rotateToken: true })
  t.strictSame(ok({ rogue_orchestrator: { window: '5s' } }), { kind: 'rogue_orchestrator', window: '5s' })
  t.strictSame(ok({ scale: { orchestrators: 4 } }), { kind: 'scale', orchestrators: 4 })
  t.strictSame(ok({ scale: { orchestrators: 1 } }), { kind: 'scale', orchestrators: 1 })
  t.strictSame(ok({ scale: { orchestrators: 32 } }), { kind: 'scale', orchestrators: 32 })
  t.strictSame(ok({ mark: 'steady' }), { kind: 'mark', name: 'steady' })
})

t.test('not a map', async (t) => {
  for (const raw of ['wait', null, 3, [{ wait: '1s' }]]) {
    const is = issues(raw)
    t.equal(is.length, 1)
    t.strictSame(is[0]?.path, [])
    t.equal(is[0]?.message, `expected a step (a map with one of: ${STEP_KEYWORDS.join(', ')})`)
    t.match(is[0]?.message, /wait, wait_for, fault, .*heal, restart, .*scale, mark, jobs\)$/)
  }
})

t.test('unknown step', async (t) => {
  const message = `unknown step; expected one of: ${STEP_KEYWORDS.join(', ')}`
  t.match(message, /^unknown step; expected one of: wait, wait_for, fault, .*heal, restart, .*scale, mark, jobs$/)
  t.strictSame(issues({ sleep: '1s' }), [{ path: [], message }])
  t.strictSame(issues({}), [{ path: [], message }])
  t.strictSame(issues({ timeout: '1s' }), [{ path: [], message }], 'an option alone is not a step')
})

t.test('two keywords in one item', async (t) => {
  t.strictSame(issues({ wait: '1s', mark: 'x' }), [{ path: [], message: 'one step per list item, found wait and mark' }])
  t.strictSame(issues({ fault: 'kill', target: 'busiest', heal: 'all' }), [{ path: [], message: 'one step per list item, found fault and heal' }])
})

t.test('bad target', async (t) => {
  const msg = 'expected an orchestrator name (orch-0, orch-1, ...), busiest, random or membership_leader'
  t.strictSame(issues({ fault: 'kill', target: 'orch1' }), [{ path: ['target'], message: msg }])
  t.strictSame(issues({ fault: 'kill', target: 'orch-' }), [{ path: ['target'], message: msg }])
  t.strictSame(issues({ fault: 'kill', target: 'Busiest' }), [{ path: ['target'], message: msg }])
  t.strictSame(issues({ restart: 'orch-x' }), [{ path: ['restart'], message: msg }])
  t.equal(issues({ restart: 'everything' })[0]?.path[0], 'restart')
  t.strictSame(
    issues({ restart: 'orch-0', rotate_token: 'yes' }).map((i) => i.path),
    [['rotate_token']],
  )
  const heal = issues({ heal: 'everything' })
  t.equal(heal.length, 1)
  t.strictSame(heal[0]?.path, ['heal'])
  const noTarget = issues({ fault: 'kill' })
  t.strictSame(
    noTarget.map((i) => i.path),
    [['target']],
    'fault needs a target',
  )
})

t.test('link faults: target kind, probability, options', async (t) => {
  t.strictSame(ok({ fault: 'blackhole', target: { group: 'edge' }, duration: '5s' }), {
    kind: 'fault',
    fault: { type: 'blackhole', target: { group: 'edge', orchestrator: 'all' }, direction: 'both', probability: 1, duration: '5s' },
  })
  t.match(issues({ fault: 'blackhole', target: 'orch-0' })[0]?.message, /acts on links: target must be \{ group/)
  t.match(issues({ fault: 'kill', target: { group: 'edge' } })[0]?.message, /acts on an orchestrator: target must be orch-N/)
  t.strictSame(
    issues({ fault: 'reset', target: { group: 'a' }, probability: 1.5 }).map((i) => [i.path, i.message]),
    [[['probability'], 'expected a probability from 0 to 1']],
  )
  t.strictSame(
    issues({ fault: 'latency', target: { group: 'a' }, latency: '-1s' }).map((i) => i.path),
    [['latency']],
    'a negative duration',
  )
  t.strictSame(
    issues({ fault: 'bandwidth', target: { group: 'a' }, rate: 'fast' }).map((i) => i.path),
    [['rate']],
  )
})

t.test('bad fault type', async (t) => {
  const is = issues({ fault: 'explode', target: 'busiest' })
  t.strictSame(
    is.map((i) => i.path),
    [['fault']],
  )
  t.match(is[0]?.message, /kill.*stop.*freeze.*lame-duck.*blackhole.*reset.*latency.*bandwidth.*down.*default/)
})

t.test('bad condition', async (t) => {
  const is = issues({ wait_for: 'ready', timeout: '1s' })
  t.strictSame(
    is.map((i) => i.path),
    [['wait_for']],
  )
  t.match(is[0]?.message, /registered.*discovered.*pool_complete.*recovered/)
})

t.test('missing timeout on wait_for', async (t) => {
  const is = issues({ wait_for: 'registered' })
  t.strictSame(
    is.map((i) => i.path),
    [['timeout']],
  )
})

t.test('bad durations', async (t) => {
  const bad = issues({ wait: 'soon' })
  t.strictSame(
    bad.map((i) => i.path),
    [['wait']],
  )
  t.match(bad[0]?.message, /expected a duration .*unknown timer "soon"/)
  t.strictSame(
    issues({ wait: '2s * 3s' }).map((i) => i.path),
    [['wait']],
  )
  t.strictSame(
    issues({ wait_for: 'registered', timeout: 'x!' }).map((i) => i.path),
    [['timeout']],
  )
  t.ok(issues({ wait: -1 }).length >= 1, 'negative number refused')
  t.strictSame(
    issues({ wait: -1 }).every((i) => i.path[0] === 'wait'),
    true,
  )
})

t.test('unknown options beside a step keyword', async (t) => {
  const is = issues({ wait: '1s', timeout: '2s' })
  t.equal(is.length, 1)
  t.match(is[0]?.message, /timeout/)
  t.ok(issues({ mark: 'x', target: 'orch-0' }).length > 0)
})

t.test('scale bounds and shape', async (t) => {
  t.strictSame(
    issues({ scale: { orchestrators: 0 } }).map((i) => i.path),
    [['scale', 'orchestrators']],
  )
  t.strictSame(
    issues({ scale: { orchestrators: 33 } }).map((i) => i.path),
    [['scale', 'orchestrators']],
  )
  t.strictSame(
    issues({ scale: { orchestrators: 2.5 } }).map((i) => i.path),
    [['scale', 'orchestrators']],
  )
  t.strictSame(
    issues({ scale: 4 }).map((i) => i.path),
    [['scale']],
  )
  t.ok(issues({ mark: '' }).length > 0, 'empty mark name')
})

t.test('describeStep', async (t) => {
  t.equal(describeStep({ kind: 'wait', duration: '2s' }), 'wait 2s')
  t.equal(describeStep({ kind: 'wait_for', condition: 'recovered', timeout: '45s' }), 'wait_for recovered (timeout 45s)')
  t.equal(describeStep({ kind: 'fault', fault: { type: 'kill', target: 'busiest', direction: 'both', probability: 1 } }), 'fault kill on busiest')
  t.equal(
    describeStep({ kind: 'fault', fault: { type: 'blackhole', target: { group: 'edge', orchestrator: 'all' }, direction: 'both', probability: 1 } }),
    'fault blackhole on links of edge to all',
  )
  t.equal(describeStep({ kind: 'heal', target: 'all' }), 'heal all')
  t.equal(describeStep({ kind: 'restart', target: 'orch-1', rotateToken: false }), 'restart orch-1')
  t.equal(describeStep({ kind: 'restart', target: 'all', rotateToken: true }), 'restart all with a new token')
  t.equal(describeStep({ kind: 'scale', orchestrators: 4 }), 'scale to 4 orchestrators')
  t.equal(describeStep({ kind: 'mark', name: 'steady' }), 'mark steady')
})

t.test('restart_nodes: a group, its registration lock kept unless removed', async (t) => {
  t.strictSame(ok({ restart_nodes: 'edge' }), { kind: 'restart_nodes', group: 'edge', keepLock: true })
  t.strictSame(ok({ restart_nodes: 'edge', registration_lock: 'remove' }), { kind: 'restart_nodes', group: 'edge', keepLock: false })
  t.match(issues({ restart_nodes: 'edge', registration_lock: 'lost' }), [{ path: ['registration_lock'] }])
  t.match(issues({ restart_nodes: '' }), [{ message: 'expected a group name' }])
  t.equal(describeStep({ kind: 'restart_nodes', group: 'edge', keepLock: true }), 'restart the nodes of edge')
  t.equal(describeStep({ kind: 'restart_nodes', group: 'edge', keepLock: false }), 'restart the nodes of edge without their registration lock')
})

t.test('membership_leader is a target of faults and restarts', async (t) => {
  t.strictSame(ok({ fault: 'kill', target: 'membership_leader' }), {
    kind: 'fault',
    fault: { type: 'kill', target: 'membership_leader', direction: 'both', probability: 1 },
  })
  t.strictSame(ok({ restart: 'membership_leader' }), { kind: 'restart', target: 'membership_leader', rotateToken: false })
})
