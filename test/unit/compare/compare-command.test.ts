import t from 'tap'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compareCommand, loadCompareSettings } from '../../../sim/cli/compare-command.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'
import { around, writeRun } from './fixtures.ts'
import { capture } from '../../helpers/capture.ts'

t.test('exit 1 on a regression, 0 otherwise; table on stderr, verdict last on stdout', async (t) => {
  const dir = t.testdir({ 'harness.config.yaml': 'profile: v1.5\n' })
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(200, 20) } })
  const config = join(dir, 'harness.config.yaml')
  const bad = await capture(() => compareCommand({ a, b, config }))
  t.equal(bad.code, 1)
  t.match(bad.err, /reconnect_ms .*REGRESSED/)
  t.match(bad.out, /^FAIL compare failover: 1 regressed \(all\.reconnect_ms\): compare\.csv in .*\/b\n$/)
  t.ok(existsSync(join(b, 'compare.csv')) && existsSync(join(b, 'compare.html')), "compare.csv and compare.html in B's folder")

  const out = join(dir, 'cmp')
  const ok = await capture(() => compareCommand({ a, b: a, out, config }))
  t.equal(ok.code, 0)
  t.match(ok.out, /^PASS compare failover: no regression/)
  t.ok(existsSync(join(out, 'compare.csv')))
})

t.test('tolerances from the `compare:` key of the harness config', async (t) => {
  const dir = t.testdir({
    'good.yaml': 'compare:\n  alpha: 0.05\n  metrics:\n    reconnect_ms: { relative: 2 }\n',
    'bad.yaml': 'compare:\n  alpha: 0.05\n  default:\n    relativ: 0.1\n',
  })
  const s = loadCompareSettings(join(dir, 'good.yaml'))
  t.equal(s.alpha, 0.05)
  t.strictSame(s.default, { relative: 0.1, absolute_ms: 1 })
  t.equal(s.false_alarm, 0.001)
  t.strictSame(s.metrics, { reconnect_ms: { relative: 2 } })
  const a = writeRun(dir, { runId: 'a', values: { reconnect_ms: around(100, 20) } })
  const b = writeRun(dir, { runId: 'b', values: { reconnect_ms: around(200, 20) } })
  t.equal((await capture(() => compareCommand({ a, b, config: join(dir, 'good.yaml') }))).code, 0, '+100% is within a 200% tolerance')
  try {
    loadCompareSettings(join(dir, 'bad.yaml'))
    t.fail('expected E_CONFIG')
  } catch (e) {
    t.ok(isNetsimError(e, 'E_CONFIG'))
    t.match((e as Error).message, /bad\.yaml:4:5: compare\.default/, 'located')
  }
  t.match(readFileSync(join(dir, 'good.yaml'), 'utf8'), /alpha/)
})

t.test('a missing default config file means the defaults', async (t) => {
  const dir = t.testdir()
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  t.equal(loadCompareSettings().alpha, 0.01)
  writeFileSync(join(dir, 'harness.config.yaml'), 'compare: { alpha: 0.02 }\n')
  t.equal(loadCompareSettings().alpha, 0.02)
})
