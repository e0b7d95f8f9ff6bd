import t from 'tap'
import { dataOf } from '../../helpers/events.ts'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runScenario } from '../../../sim/run/run-scenario.ts'
import { processesOfRun } from '../../../sim/platform/run-dir.ts'

// Three orchestrators, three nodes that listen and three behind NAT, each given one orchestrator.
// The busiest orchestrator is killed, then restarted on its address.
const SCENARIO = `
transport: libp2p
profile: v1.3.1
time_scale: 0.05
orchestrators:
  count: 3
groups:
  - name: open
    count: 3
  - name: nat
    count: 3
    dialable: false
timeline:
  - wait_for: discovered
    timeout: 20s
  - ask_for_bid: { timeout: 10s }
  - fault: kill
    target: busiest
  - wait_for: recovered
    timeout: 1s
    on_timeout: note
  - ask_for_bid: { timeout: 10s, metric: bid_after_loss_ms }
  - heal: all
  - wait_for: recovered
    timeout: 20s
assertions:
  - { metric: connect_ms, stat: missing, equals: 0 }
  - { metric: register_ms, stat: p99, max: 1s }
  - { metric: bid_after_loss_ms, group: nat, stat: missing, min: 1 }
`

t.test('a libp2p run through the API: discovery by gossip, a kill, bids, a restart on the same address', async (t) => {
  const dir = t.testdir({ 'lp.yaml': SCENARIO })
  const plan = resolvePlan({ scenario: join(dir, 'lp.yaml'), configFile: null, seed: 3, reports_dir: join(dir, 'reports'), workers: 2 })
  t.equal(plan.transport, 'libp2p')
  t.strictSame(
    plan.assertions.map((a) => a.metric),
    ['connect_ms', 'bid_after_loss_ms'],
    'register_ms does not exist in libp2p mode: not asserted',
  )
  const r = await runScenario(plan, { quiet: true })
  t.equal(
    r.passed,
    true,
    `passed: ${r.assertions
      .filter((a) => !a.ok)
      .map((a) => `${a.text} = ${a.actual}`)
      .join('; ')} ${r.timeouts.join('; ')}`,
  )
  t.same(processesOfRun(r.runId), [], 'no process of the run is left')

  const row = (metric: string, group = 'all') => r.summary.find((s) => s.group === group && s.metric === metric)
  t.equal(row('connect_ms')?.count, 6)
  t.equal(row('visible_all_ms')?.missing, 0, 'every orchestrator learnt every node through gossip')
  for (const m of ['register_ms', 'full_pool_ms', 'join_pool_ms']) t.equal(row(m), undefined, `no ${m} in libp2p mode (not reported as all missing)`)

  // Orchestrators: multiaddrs in orch.ready; the killed one came back on the same one.
  const readies = r.events.filter((e) => e.kind === 'orch.ready')
  t.ok(readies.every((e) => /^\/ip4\/127\.0\.0\.1\/tcp\/\d+\/p2p\//.test(String(dataOf(e)['client']))))
  const fault = r.events.find((e) => e.kind === 'fault.apply')
  const killed = fault?.orch as string
  const addrs = readies.filter((e) => e.orch === killed).map((e) => dataOf(e)['client'])
  t.equal(addrs.length, 2, 'ready at start and after the heal')
  t.equal(addrs[0], addrs[1], 'same address after the restart')

  // Nodes of the killed orchestrator: noticed at once, never failed over, came back after the heal.
  const hit = row('detect_ms')?.count ?? 0
  t.ok(hit >= 1, `${hit} nodes were on ${killed}`)
  const healAt = r.events.find((e) => e.kind === 'fault.heal')?.t as number
  const reconnects = r.values.filter((v) => v.metric === 'reconnect_ms')
  t.ok(
    reconnects.length === hit && reconnects.every((v) => v.value_ms !== null && v.value_ms >= healAt - (fault?.t as number)),
    'a node given one peer does not fail over: it is back only once its orchestrator is',
  )
  t.equal(row('heal_reconnect_ms')?.count, hit, 'it re-dials its orchestrator once that is back')
  t.equal(r.notes.length, 1, 'the first recovered wait was noted, not failed')
  t.equal(r.timeouts.length, 0, 'the second one was reached')

  // Bids: before the loss a NATed node answers only the orchestrator it dialled; dialable nodes answer everyone.
  t.equal(row('bid_ms', 'open')?.missing, 0)
  t.equal(row('bid_ms', 'nat')?.count, 3, 'each NATed node answered its own orchestrator')
  t.equal(row('bid_ms', 'nat')?.missing, 6, '...and no other')
  t.equal(row('bid_after_loss_ms', 'open')?.missing, 0, 'survivors dial dialable nodes')
  // Two survivors ask each NATed node: those of the dead orchestrator answer neither, the
  // others answer their own only.
  const natHit = r.values.filter((v) => v.metric === 'detect_ms' && v.group === 'nat').length
  t.equal(
    row('bid_after_loss_ms', 'nat')?.missing,
    natHit * 2 + (3 - natHit) * 1,
    `${natHit} NATed nodes were on ${killed}: unreachable by anyone, the rest by one survivor`,
  )
  const codes = new Set(r.events.filter((e) => e.kind === 'orch.bid' && dataOf(e)['ok'] === false).map((e) => dataOf(e)['code']))
  t.strictSame([...codes], ['UNREACHABLE'])

  const files = readdirSync(r.reportDir).sort()
  t.ok(
    ['errors.csv', 'events.csv', 'run.json', 'samples.csv', 'summary.csv'].every((f) => files.includes(f)),
    `report files: ${files.join(', ')}`,
  )
  t.match(readFileSync(join(r.reportDir, 'summary.csv'), 'utf8'), /^lp,libp2p,v1\.3\.1,process,all,6,3,connect_ms,/m, 'summary rows say libp2p')
  t.match(readFileSync(join(r.reportDir, 'errors.csv'), 'utf8'), /,nat,nat-\d,[\d.]+,orch\.bid,ask_for_bid,UNREACHABLE$/m)
  const run = JSON.parse(readFileSync(join(r.reportDir, 'run.json'), 'utf8'))
  t.equal(run.config.transport, 'libp2p')
  t.equal(run.config.libp2pTimers.redial_interval, 500, 'libp2p timers at the time scale')
  t.match(run.versions.libp2p, /^\d+\.\d+\.\d+$/)
  t.equal(run.notes.length, 1)
})
