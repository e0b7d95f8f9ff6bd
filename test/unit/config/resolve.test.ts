import t from 'tap'
import { plan, fails, type TapTest } from './plan-helpers.ts'
import { join, resolve } from 'node:path'
import { resolvePlan, scaleGroups, type RunOptions } from '../../../sim/config/resolve.ts'
import type { PlanGroup } from '../../../sim/plan/run-plan.ts'
import { PROFILES, resolveTimers } from '../../../sim/model/profiles.ts'

const GROUP = 'groups:\n  - name: compute\n    count: 10\n'

/** Writes files into a fresh testdir; returns its path. */
const dir = (t: TapTest, files: Record<string, string>): string => t.testdir(files)

const scenarioFails = (t: TapTest, scenario: string, opts: Partial<RunOptions> = {}) => fails(t, 'E_CONFIG', () => plan(t, scenario, opts))

t.test('defaults fill a minimal scenario', async (t) => {
  const d = dir(t, { 'mini.yaml': GROUP })
  const p = resolvePlan({ scenario: join(d, 'mini.yaml'), configFile: null, seed: 7 })
  t.equal(p.scenario.name, 'mini', 'name from the file name')
  t.equal(p.scenario.file, join(d, 'mini.yaml'))
  t.equal(p.scenario.description, '')
  t.equal(p.transport, 'nats')
  t.equal(p.backend, 'process')
  t.equal(p.profile, 'v1.5')
  t.equal(p.timeScale, 0.1)
  t.equal(p.seed, 7)
  t.equal(p.fault, 'kill')
  t.strictSame(p.timers, resolveTimers('v1.5', 0.1))
  t.equal(p.timers.heartbeat_interval, 1500)
  t.strictSame(p.heartbeatSubjects, PROFILES['v1.5'].heartbeat_subjects)
  t.equal(p.orchestrators.count, 3)
  t.equal(p.orchestrators.manualApproval, false)
  t.strictSame(p.membership, { bucket: 'node_v1', replicas: 1 }, "Bacalhau's bucket, one replica")
  t.strictSame(
    p.orchestrators.lameDuck,
    { durationMs: 12_000, graceMs: 1000 },
    "nats-server's 2 min / 10 s, scaled (the server raises a duration under 30 s)",
  )
  t.equal(p.orchestrators.clustered, true)
  t.strictSame(
    p.groups.map((g) => [g.name, g.count, g.seeds]),
    [['compute', 10, 'spread']],
  )
  t.strictSame(p.timeline, [])
  t.strictSame(p.assertions, [])
  t.equal(p.startConcurrency, 100)
  t.equal(p.serverOrder, 'go')
  t.equal(p.reportsDir, resolve('reports'))
  t.equal(p.natsServerBin, null)
  t.equal(p.configFile, null)
  t.ok(Number.isInteger(p.workers) && p.workers >= 1)
})

t.test('a seed is drawn when none is given', async (t) => {
  const d = dir(t, { 's.yaml': GROUP })
  const p = resolvePlan({ scenario: join(d, 's.yaml'), configFile: null })
  t.ok(Number.isInteger(p.seed) && p.seed >= 0)
})

t.test('name and description from the file', async (t) => {
  const p = plan(t, `name: custom\ndescription: "  hello  "\n${GROUP}`)
  t.equal(p.scenario.name, 'custom')
  t.equal(p.scenario.description, 'hello')
})

t.test('layers: defaults < harness config < scenario < options', async (t) => {
  const d = dir(t, {
    'harness.yaml': [
      'profile: v1.4',
      'time_scale: 0.5',
      'fault: stop',
      'start_concurrency: 7',
      'server_order: js',
      'seed: 5',
      'reports_dir: from-harness',
      'timers:',
      '  ping_interval: 60s',
      '  reconnect_wait: 4s',
      '',
    ].join('\n'),
    's.yaml': `time_scale: 0.2\nreports_dir: from-scenario\ntimers:\n  ping_interval: 30s\n${GROUP}`,
  })
  const base = { scenario: join(d, 's.yaml'), configFile: join(d, 'harness.yaml') }
  const p = resolvePlan(base)
  t.equal(p.profile, 'v1.4', 'harness over default')
  t.equal(p.timeScale, 0.2, 'scenario over harness')
  t.equal(p.fault, 'stop')
  t.equal(p.startConcurrency, 7)
  t.equal(p.serverOrder, 'js')
  t.equal(p.seed, 5)
  t.equal(p.reportsDir, resolve('from-scenario'))
  t.equal(p.configFile, join(d, 'harness.yaml'))
  t.equal(p.timers.ping_interval, 6000, 'scenario override (30 s) scaled by 0.2')
  t.equal(p.timers.reconnect_wait, 800, 'harness override (4 s) kept for other keys, scaled')
  t.equal(p.timers.heartbeat_interval, 3000, 'v1.4 15 s at 0.2')
  t.equal(p.timers.disconnect_after, 6000, 'v1.4 30 s at 0.2')
  t.strictSame(p.heartbeatSubjects, ['heartbeat'])

  const o = resolvePlan({ ...base, profile: 'v1.5', time_scale: 1, fault: 'freeze', seed: 9, timers: { ping_interval: '10s' }, server_order: 'go' })
  t.equal(o.profile, 'v1.5', 'options over harness')
  t.equal(o.timeScale, 1, 'options over scenario')
  t.equal(o.fault, 'freeze')
  t.equal(o.seed, 9)
  t.equal(o.serverOrder, 'go')
  t.equal(o.timers.ping_interval, 10_000, 'option timer override wins')
  t.equal(o.timers.reconnect_wait, 4000, 'harness override still applies')
  t.equal(o.timers.disconnect_after, 60_000)
})

t.test('a harness config named but missing is an error; none named and none present is fine', async (t) => {
  const d = dir(t, { 's.yaml': GROUP })
  const e = fails(t, 'E_CONFIG', () => resolvePlan({ scenario: join(d, 's.yaml'), configFile: join(d, 'nope.yaml'), seed: 1 }))
  t.match(e?.message, /--config .*nope\.yaml: no such file/)
  const p = resolvePlan({ scenario: join(d, 's.yaml'), configFile: null, seed: 1 })
  t.equal(p.configFile, null)
  t.equal(p.profile, 'v1.5')
})

t.test('harness config errors name the harness file', async (t) => {
  const d = dir(t, { 's.yaml': GROUP, 'h.yaml': 'profile: v1.5\ncolour: red\n' })
  const e = fails(t, 'E_CONFIG', () => resolvePlan({ scenario: join(d, 's.yaml'), configFile: join(d, 'h.yaml') }))
  t.match(e?.message, /h\.yaml:2:1: colour: Unrecognized key: "colour"/)
})

t.test('timer overrides: null switches a timer off', async (t) => {
  const p = plan(t, `timers:\n  heartbeat_interval: null\n${GROUP}`)
  t.equal(p.timers.heartbeat_interval, null)
  t.equal(p.timers.check_period, 2000)
  const e = scenarioFails(t, `timers:\n  ping_interval: 3 * check_period\n${GROUP}`)
  t.match(
    e?.message,
    /s\.yaml:2:18: timers\.ping_interval: expected a duration such as 15s or 500ms: unknown timer "check_period"/,
    'overrides take no timer names',
  )
  const u = scenarioFails(t, `timers:\n  ping_intervall: 3s\n${GROUP}`)
  t.match(u?.message, /s\.yaml:2:3: timers\.ping_intervall: Unrecognized key: "ping_intervall"/)
})

t.test('malformed YAML', async (t) => {
  const e = scenarioFails(t, `groups:\n  - name: compute\n    count: [1\n`)
  t.match(e?.message, /s\.yaml(:\d+:\d+)?: malformed YAML: /)
  t.test('a malformed file names line:col', async (t) => {
    const e2 = scenarioFails(t, `groups:\n  - name: compute\n    count: 1\ngroups: []\n`)
    t.match(e2?.message, /s\.yaml:4:1: malformed YAML: Map keys must be unique/)
  })
})

t.test('unknown key in a group', async (t) => {
  const scenario = ['orchestrators:', '  count: 3', 'groups:', '  - name: compute', '    count: 10', '    colour: red', ''].join('\n')
  const e = scenarioFails(t, scenario)
  t.match(e?.message, /s\.yaml:6:5: groups\[0\]\.colour: Unrecognized key: "colour"/, 'names the group and the key, at the key')
})

t.test('bad step: timeline[i] at its line', async (t) => {
  const scenario = `${GROUP}timeline:\n  - wait: 1s\n  - sleep: 2s\n  - wait_for: registered\n`
  const e = scenarioFails(t, scenario)
  t.match(e?.message, /^.*s\.yaml is invalid:\n/, 'several issues')
  t.match(e?.message, /\n {2}\S*s\.yaml:6:5: timeline\[1\]: unknown step; expected one of: wait, /)
  t.match(e?.message, /\n {2}\S*s\.yaml:7:5: timeline\[2\]\.timeout: /, 'missing timeout, located at the step')
  t.match(e?.where, /s\.yaml:6:5$/)
  const one = scenarioFails(t, `${GROUP}timeline:\n  - mark: a\n  - { wait: 1s, mark: b }\n`)
  t.match(one?.message, /s\.yaml:6:5: timeline\[1\]: one step per list item, found wait and mark$/)
  const target = scenarioFails(t, `${GROUP}timeline:\n  - fault: kill\n    target: leader\n`)
  t.match(target?.message, /s\.yaml:6:13: timeline\[0\]\.target: expected an orchestrator name/)
})

t.test('negative and invalid durations', async (t) => {
  const neg = scenarioFails(t, `${GROUP}timeline:\n  - wait: -5\n`)
  t.match(neg?.message, /s\.yaml:5:11: timeline\[0\]\.wait: /)
  t.match(neg?.message, /expected a duration >= 0, got -5/)
  const word = scenarioFails(t, `${GROUP}timeline:\n  - wait: soon\n`)
  t.match(
    word?.message,
    /s\.yaml:5:11: timeline\[0\]\.wait: expected a duration \(500ms, 2s, or an expression like "3 \* ping_interval"\): unknown timer "soon"/,
  )
  const two = scenarioFails(t, `${GROUP}timeline:\n  - wait_for: registered\n    timeout: 2s * 3s\n`)
  t.match(two?.message, /s\.yaml:6:14: timeline\[0\]\.timeout: .*multiplies two durations/)
  const ld = scenarioFails(t, `orchestrators:\n  lame_duck_duration: -1s\n${GROUP}`)
  t.match(ld?.message, /s\.yaml:2:23: orchestrators\.lame_duck_duration: .*expected a duration >= 0, got "-1s"/)
  const am = scenarioFails(t, `${GROUP}assertions:\n  - { metric: connect_ms, stat: p99, max: lots }\n`)
  t.match(am?.message, /assertions\[0\]\.max: .*unknown timer "lots"/)
  const nullTimer = scenarioFails(t, `profile: v1.3.0\n${GROUP}timeline:\n  - wait: heartbeat_interval\n`)
  t.match(
    nullTimer?.message,
    /s\.yaml:6:11: timeline\[0\]\.wait: timer "heartbeat_interval" is not defined by this profile$/,
    'a timer the profile lacks is found once timers are known',
  )
})

t.test('unknown profile', async (t) => {
  const e = scenarioFails(t, `description: x\nprofile: v9\n${GROUP}`)
  t.match(e?.message, /s\.yaml:2:10: profile: Invalid option: expected one of "v1\.3\.0"\|"v1\.3\.1"\|"v1\.4"\|"v1\.5"/)
  const flag = fails(t, 'E_USAGE', () => plan(t, GROUP, { profile: 'v2' as never }))
  t.match(flag?.message, /^--profile: /)
  const ts = fails(t, 'E_USAGE', () => plan(t, GROUP, { time_scale: 0 }))
  t.match(ts?.message, /^--time-scale: /, 'flag names use dashes')
})

t.test('durations are resolved with the scaled timers', async (t) => {
  const p = plan(
    t,
    [
      'profile: v1.5',
      'time_scale: 0.1',
      'orchestrators:',
      '  lame_duck_duration: 2 * check_period',
      '  lame_duck_grace: 250ms',
      GROUP + 'timeline:',
      '  - wait: heartbeat_interval',
      '  - wait_for: recovered',
      '    timeout: 45s + 3 * ping_interval',
      '  - wait: disconnect_after + check_period',
      '  - wait: 1500',
      'assertions:',
      '  - { metric: reconnect_ms, stat: p99, max: 10 * reconnect_wait + 2s, min: 5ms }',
      '',
    ].join('\n'),
  )
  t.strictSame(p.timeline, [
    { kind: 'wait', ms: 1500, text: 'wait heartbeat_interval' },
    { kind: 'wait_for', condition: 'recovered', timeoutMs: 81_000, text: 'wait_for recovered (timeout 45s + 3 * ping_interval)' },
    { kind: 'wait', ms: 8000, text: 'wait disconnect_after + check_period' },
    { kind: 'wait', ms: 1500, text: 'wait 1500' },
  ])
  t.strictSame(p.orchestrators.lameDuck, { durationMs: 4000, graceMs: 250 })
  t.equal(p.assertions[0]?.max, 4000)
  t.equal(p.assertions[0]?.min, 5)
  const v14 = plan(t, `${GROUP}timeline:\n  - wait: heartbeat_interval\n`, { profile: 'v1.4', time_scale: 1 })
  t.match(v14.timeline[0], { kind: 'wait', ms: 15_000 })
})

t.test("fault steps take the run's fault type for default", async (t) => {
  const s = `${GROUP}timeline:\n  - fault: default\n    target: busiest\n  - fault: lame-duck\n    target: orch-1\n  - heal: all\n  - mark: x\n`
  const p = plan(t, s, { fault: 'freeze' })
  t.strictSame(p.timeline, [
    { kind: 'fault', fault: { type: 'freeze', target: 'busiest', direction: 'both', probability: 1 }, text: 'fault freeze on busiest' },
    { kind: 'fault', fault: { type: 'lame-duck', target: 'orch-1', direction: 'both', probability: 1 }, text: 'fault lame-duck on orch-1' },
    { kind: 'heal', target: 'all', text: 'heal all' },
    { kind: 'mark', name: 'x', text: 'mark x' },
  ])
})

t.test('targets must exist', async (t) => {
  const s = `${GROUP}timeline:\n  - mark: a\n  - fault: kill\n    target: orch-5\n`
  const e = scenarioFails(t, s)
  t.match(e?.message, /s\.yaml:7:13: timeline\[1\]\.target: orch-5 does not exist: the run has 3 orchestrator\(s\), orch-0\.\.orch-2$/)
  t.equal(plan(t, s, { orchestrators: 6 }).orchestrators.count, 6, '--orchestrators 6: orch-5 exists')
  const scaled = plan(t, `${GROUP}timeline:\n  - scale: { orchestrators: 6 }\n  - restart: orch-5\n`)
  t.equal(scaled.orchestrators.count, 3)
  const heal = scenarioFails(t, `orchestrators:\n  count: 2\n${GROUP}timeline:\n  - heal: orch-2\n`)
  t.match(heal?.message, /timeline\[0\]: orch-2 does not exist: the run has 2 orchestrator\(s\), orch-0\.\.orch-1/)
  const seeds = scenarioFails(t, 'groups:\n  - name: g\n    count: 1\n    seeds: [orch-0, orch-3]\n')
  t.match(seeds?.message, /s\.yaml:4:21: groups\[0\]\.seeds\[1\]: orch-3 does not exist at start: the run starts 3 orchestrator\(s\)/)
})

t.test('clustered: more than one orchestrator now or after a scale step', async (t) => {
  t.equal(plan(t, `orchestrators:\n  count: 1\n${GROUP}`).orchestrators.clustered, false)
  t.equal(plan(t, `orchestrators:\n  count: 1\n${GROUP}timeline:\n  - scale: { orchestrators: 2 }\n`).orchestrators.clustered, true)
  t.equal(plan(t, GROUP, { orchestrators: 1 }).orchestrators.clustered, false)
})

t.test('--orchestrators out of range', async (t) => {
  const e = fails(t, 'E_USAGE', () => plan(t, GROUP, { orchestrators: 33 }))
  t.match(e?.message, /--orchestrators: expected a whole number from 1 to 32, got 33/)
  fails(t, 'E_USAGE', () => plan(t, GROUP, { orchestrators: 0 }))
})

t.test('assertions filtered by when_fault', async (t) => {
  const s = [
    GROUP + 'assertions:',
    '  - { metric: reconnect_ms, stat: missing, equals: 0 }',
    '  - { metric: detect_ms, stat: p99, max: 500ms, when_fault: [kill, stop] }',
    '  - { metric: detect_ms, stat: p50, max: 3 * ping_interval + 2s, when_fault: [freeze] }',
    '',
  ].join('\n')
  const kill = plan(t, s)
  t.strictSame(
    kill.assertions.map((a) => [a.metric, a.stat, a.max ?? a.equals]),
    [
      ['reconnect_ms', 'missing', 0],
      ['detect_ms', 'p99', 500],
    ],
  )
  const stop = plan(t, s, { fault: 'stop' })
  t.strictSame(
    stop.assertions.map((a) => a.metric + '.' + a.stat),
    ['reconnect_ms.missing', 'detect_ms.p99'],
  )
  const freeze = plan(t, s, { fault: 'freeze' })
  t.strictSame(
    freeze.assertions.map((a) => [a.metric, a.stat, a.max ?? a.equals]),
    [
      ['reconnect_ms', 'missing', 0],
      ['detect_ms', 'p50', 38_000],
    ],
  )
  const ld = plan(t, `fault: lame-duck\n${s}`)
  t.strictSame(
    ld.assertions.map((a) => a.metric),
    ['reconnect_ms'],
    'scenario fault: lame-duck',
  )
})

t.test('assertions: resolved shape, group checks', async (t) => {
  const p = plan(
    t,
    `${GROUP}assertions:\n  - { metric: connect_ms, stat: missing, equals: 0 }\n  - { metric: register_ms, stat: p99, group: compute, max: 10s }\n`,
  )
  t.strictSame(p.assertions, [
    { metric: 'connect_ms', stat: 'missing', group: 'all', equals: 0, text: 'all.connect_ms.missing == 0' },
    { metric: 'register_ms', stat: 'p99', group: 'compute', max: 10_000, text: 'compute.register_ms.p99 <= 10s' },
  ])
  const e = scenarioFails(t, `${GROUP}assertions:\n  - { metric: connect_ms, stat: p99, group: edge, max: 1s }\n`)
  t.match(e?.message, /assertions\[0\]\.group: no group named "edge" \(groups: compute, all\)/)
  const nb = scenarioFails(t, `${GROUP}assertions:\n  - { metric: connect_ms, stat: p99 }\n`)
  t.match(nb?.message, /assertions\[0\]: an assertion needs max, min or equals/)
})

t.test('assertion text has single spaces', async (t) => {
  const p = plan(t, `${GROUP}assertions:\n  - { metric: connect_ms, stat: p50, min: 1s }\n  - { metric: connect_ms, stat: p50, max: 2s, min: 1s }\n`)
  t.equal(p.assertions[1]?.text, 'all.connect_ms.p50 <= 2s >= 1s')
  t.test('a min-only assertion text has single spaces', async (t) => {
    t.equal(p.assertions[0]?.text, 'all.connect_ms.p50 >= 1s')
  })
})

t.test('duplicate group names', async (t) => {
  const e = scenarioFails(t, 'groups:\n  - name: a\n    count: 1\n  - name: a\n    count: 2\n')
  t.match(e?.message, /s\.yaml:4:11: groups\[1\]\.name: group "a" is defined twice/)
})

t.test('scaleGroups: largest remainder, sums to total', async (t) => {
  const g = (...counts: number[]): PlanGroup[] => counts.map((count, i) => ({ name: `g${i}`, count, seeds: 'spread' }) as PlanGroup)
  const counts = (gs: PlanGroup[]) => gs.map((x) => x.count)
  t.strictSame(counts(scaleGroups(g(1, 1, 1), 10)), [4, 3, 3], 'equal remainders: first group first')
  t.strictSame(counts(scaleGroups(g(1, 2), 10)), [3, 7], '3.33 / 6.67')
  t.strictSame(counts(scaleGroups(g(50, 30, 20), 7)), [4, 2, 1], '3.5 / 2.1 / 1.4 -> the .5 gets the spare')
  t.strictSame(counts(scaleGroups(g(10, 0, 10), 5)), [3, 0, 2])
  t.strictSame(counts(scaleGroups(g(100), 3)), [3])
  t.strictSame(counts(scaleGroups(g(0, 0), 4)), [4, 0], 'all-zero groups: the first takes all')
  t.strictSame(counts(scaleGroups(g(1, 1, 1, 1), 2)), [1, 1, 0, 0])
  for (const [cs, total] of [
    [[7, 3, 5, 11], 1000],
    [[1, 1, 1], 1],
    [[33, 33, 34], 99],
    [[3, 3, 3], 100_000],
  ] as [number[], number][]) {
    const out = counts(scaleGroups(g(...cs), total))
    t.equal(
      out.reduce((a, b) => a + b, 0),
      total,
      `${cs} -> ${total}: sums to total (${out})`,
    )
    const sum = cs.reduce((a, b) => a + b, 0)
    for (const [i, c] of out.entries()) t.ok(Math.abs(c - ((cs[i] as number) / sum) * total) < 1, `${cs}: group ${i} within 1 of its share`)
  }
  const kept = scaleGroups([{ name: 'x', count: 2, seeds: ['orch-1'] } as PlanGroup], 9)
  t.strictSame(kept[0]?.seeds, ['orch-1'], 'other fields kept')
})

t.test('--nodes scales the groups', async (t) => {
  const p = plan(t, 'groups:\n  - name: a\n    count: 10\n  - name: b\n    count: 30\n', { nodes: 10 })
  t.strictSame(
    p.groups.map((x) => [x.name, x.count]),
    [
      ['a', 3],
      ['b', 7],
    ],
  )
  // 2.5 / 7.5: equal remainders, the first group gets the spare
  t.strictSame(
    plan(t, 'groups:\n  - name: a\n    count: 1\n  - name: b\n    count: 3\n', { nodes: 10 }).groups.map((x) => x.count),
    [3, 7],
  )
  const zero = fails(t, 'E_USAGE', () => plan(t, GROUP, { nodes: 0 }))
  t.equal(zero?.message, '--nodes: expected a whole number >= 1, got 0')
  fails(t, 'E_USAGE', () => plan(t, GROUP, { nodes: 2.5 }))
  fails(t, 'E_USAGE', () => plan(t, GROUP, { nodes: -3 }))
})

t.test('scenario lookup by name', async (t) => {
  const d = dir(t, { 'failover.yaml': GROUP, 'discovery.yml': GROUP, 'notes.txt': 'x' })
  t.equal(resolvePlan({ scenario: 'failover', scenariosDir: d, configFile: null, seed: 1 }).scenario.file, join(d, 'failover.yaml'))
  t.equal(resolvePlan({ scenario: 'discovery', scenariosDir: d, configFile: null, seed: 1 }).scenario.name, 'discovery', '.yml works too')
  const e = fails(t, 'E_SCENARIO_NOT_FOUND', () => resolvePlan({ scenario: 'nope', scenariosDir: d, configFile: null }))
  t.equal(e?.message, 'unknown scenario "nope". Available: discovery, failover')
  const empty = dir(t, {})
  const e2 = fails(t, 'E_SCENARIO_NOT_FOUND', () => resolvePlan({ scenario: 'nope', scenariosDir: empty, configFile: null }))
  t.equal(e2?.message, `unknown scenario "nope". Available: (none in ${empty})`)
  const e3 = fails(t, 'E_SCENARIO_NOT_FOUND', () => resolvePlan({ scenario: join(d, 'missing.yaml'), configFile: null }))
  t.match(e3?.message, /scenario file .*missing\.yaml does not exist/)
})

t.test('a run needs at least one node: groups of 0 in all are refused at the groups', async (t) => {
  const e = scenarioFails(t, 'groups:\n  - name: a\n    count: 0\n  - name: b\n    count: 0\n')
  t.match(e?.message, /s\.yaml:\d+:\d+: groups: the groups hold 0 nodes in all: a run needs at least one/)
  t.equal(plan(t, 'groups:\n  - name: a\n    count: 0\n  - name: b\n    count: 2\n').groups.length, 2, 'an empty group beside others is fine')
})

t.test('more nodes than this machine holds: refused before anything starts, saying the limit and why', async (t) => {
  const e = fails(t, 'E_USAGE', () => plan(t, GROUP, { nodes: 1e9 }))
  t.match(e?.message, /^--nodes 1000000000: this machine holds at most \d+ nodes in a run \((memory|ports|file descriptors): .+\)$/)
  const f = scenarioFails(t, 'groups:\n  - name: a\n    count: 99999\n')
  t.match(f?.message, /groups: the groups hold 99999 nodes: this machine holds at most \d+/)
})

t.test('a duration past what Node can time is refused, not fired at once', async (t) => {
  const e = scenarioFails(t, `${GROUP}timeline:\n  - wait: 40000m\n`)
  t.match(e?.message, /"40000m" is longer than the longest timer Node can set \(2\^31 - 1 ms, 24\.8 days\)/)
  const big = scenarioFails(t, `${GROUP}timeline:\n  - wait: 3000000 * ping_interval\n`)
  t.match(big?.message, /longer than the longest timer/, 'also when a timer expression makes it so')
  t.equal(plan(t, `${GROUP}timeline:\n  - wait: 35000m\n`).timeline[0]?.kind, 'wait', '24.3 days is fine')
})

t.test('an assertion on a metric nothing records is refused at its metric', async (t) => {
  const e = scenarioFails(t, `${GROUP}assertions:\n  - { metric: reconect_ms, stat: p99, max: 1s }\n`)
  t.match(e?.message, /s\.yaml:5:\d+: assertions\[0\]\.metric: unknown metric "reconect_ms" \(known: connect_ms, .*reconnect_ms/)
  const named = plan(
    t,
    `${GROUP}timeline:\n  - ask_for_bid: { timeout: 2s, metric: bid_after_ms }\nassertions:\n  - { metric: bid_after_ms, stat: missing, equals: 0 }\n`,
  )
  t.equal(named.assertions[0]?.metric, 'bid_after_ms', 'a metric a step names is known')
})

t.test("lame duck: nats-server's 2 min / 10 s, scaled like every timer; a scenario's value is taken as written", async (t) => {
  t.strictSame(plan(t, GROUP, { time_scale: 1 }).orchestrators.lameDuck, { durationMs: 120_000, graceMs: 10_000 })
  t.strictSame(plan(t, GROUP).orchestrators.lameDuck, { durationMs: 12_000, graceMs: 1000 }, 'at scale 0.1 (the server raises 12 s to 30 s)')
  t.strictSame(
    plan(t, `timers:\n  lame_duck_duration: 5m\n${GROUP}`).orchestrators.lameDuck,
    { durationMs: 30_000, graceMs: 1000 },
    'a timer override, scaled',
  )
  t.strictSame(
    plan(t, `orchestrators:\n  lame_duck_grace: 3s\n${GROUP}`).orchestrators.lameDuck,
    { durationMs: 12_000, graceMs: 3000 },
    'one overridden',
  )
})

t.test('membership: the profile bucket; replicas from the layers, no more than the servers', async (t) => {
  t.strictSame(plan(t, GROUP, { profile: 'v1.3.0' }).membership, { bucket: 'nodes', replicas: 1 })
  t.strictSame(plan(t, GROUP, { profile: 'v1.3.1' }).membership, { bucket: 'node_v1', replicas: 1 })
  t.strictSame(plan(t, `membership: { replicas: 3 }\n${GROUP}`).membership, { bucket: 'node_v1', replicas: 3 })
  t.strictSame(plan(t, `membership: { replicas: 3 }\n${GROUP}`, { membership: { replicas: 2 } }).membership.replicas, 2, 'the flag wins')
  const many = scenarioFails(t, `orchestrators: { count: 2 }\nmembership: { replicas: 3 }\n${GROUP}`)
  t.match(many?.message, /s\.yaml:2:25: membership\.replicas: 3 replicas, but the run starts 2 orchestrator\(s\).*use at most 2/)
  const flag = fails(t, 'E_USAGE', () => plan(t, GROUP, { membership: { replicas: 4 } }))
  t.match(flag?.message, /^--membership-replicas 4: 4 replicas, but the run starts 3 orchestrator\(s\)/)
  const orchs = fails(t, 'E_USAGE', () => plan(t, `membership: { replicas: 3 }\n${GROUP}`, { orchestrators: 1 }))
  t.match(orchs?.message, /^--orchestrators 1: 3 replicas, but the run starts 1 orchestrator\(s\)/)
  const six = fails(t, 'E_USAGE', () => plan(t, GROUP, { membership: { replicas: 6 } }))
  t.match(six?.message, /^--membership-replicas: JetStream keeps at most 5 replicas/)
  const zero = scenarioFails(t, `membership: { replicas: 0 }\n${GROUP}`)
  t.match(zero?.message, /membership\.replicas: expected at least 1 replica/)
})

t.test('when_membership_replicas limits an assertion to runs with those replicas', async (t) => {
  const s = `${GROUP}assertions:\n  - { metric: register_failed_ms, stat: count, min: 1, when_membership_replicas: [1] }\n  - { metric: register_failed_ms, stat: count, equals: 0, when_membership_replicas: [3] }\n`
  t.strictSame(
    plan(t, s).assertions.map((a) => a.text),
    ['all.register_failed_ms.count >= 1'],
  )
  t.strictSame(
    plan(t, s, { membership: { replicas: 3 } }).assertions.map((a) => a.text),
    ['all.register_failed_ms.count == 0'],
  )
})
