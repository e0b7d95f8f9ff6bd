import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { runRepeated } from '../../../sim/run/run-repeat.ts'
import { skipWithoutNats } from '../nats-available.ts'

t.test('--repeat: N runs with derived seeds, each reported, plus a pooled summary', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const plan = resolvePlan({ scenario: 'failover', nodes: 6, seed: 40, time_scale: 0.05, reports_dir: out, configFile: null, workers: 1 })
  const r = await runRepeated(plan, 2)
  t.same(
    r.runs.map((x) => x.plan.seed),
    [40, 41],
    'seeds derived from the base seed',
  )
  t.equal(
    r.passed,
    r.runs.every((x) => x.passed),
  )
  const connect = r.pooled.find((s) => s.group === 'all' && s.metric === 'connect_ms')
  t.equal(connect?.count, 12, 'the pooled summary counts both runs')
  const samples = readFileSync(join(r.reportDir, 'samples.csv'), 'utf8').trim().split('\n')
  t.equal(samples.filter((l) => l.startsWith('run_id,')).length, 1, 'one header row')
  t.same(new Set(samples.slice(1).map((l) => l.split(',')[0])), new Set(r.runs.map((x) => x.runId)), 'rows of both runs, told apart by run_id')
  const runs = JSON.parse(readFileSync(join(r.reportDir, 'runs.json'), 'utf8'))
  t.equal(runs.runs.length, 2)
})
