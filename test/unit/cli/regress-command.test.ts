import t from 'tap'
import { join } from 'node:path'
import { baselineCommand, parseTimerFlags, regressCommand } from '../../../sim/cli/regress-command.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'
import { capture } from '../../helpers/capture.ts'
import { runAround, stubRunner } from '../regress/stub-runner.ts'

t.test('--timer name=value flags become timer overrides', async (t) => {
  t.equal(parseTimerFlags(undefined), undefined)
  t.same(parseTimerFlags(['ping_interval=40s', 'heartbeat_interval=null']), { ping_interval: '40s', heartbeat_interval: null })
  const bad = (() => {
    try {
      parseTimerFlags(['ping_intervall=40s'])
    } catch (e) {
      return e
    }
  })()
  t.ok(isNetsimError(bad, 'E_USAGE'))
  t.match((bad as Error).message, /ping_intervall/)
  const noEq = (() => {
    try {
      parseTimerFlags(['40s'])
    } catch (e) {
      return e
    }
  })()
  t.match((noEq as Error).message, /expected name=duration/)
})

const config = (baselineRuns = 4) =>
  `compare:\n  false_alarm: 0.001\nregress:\n  baseline_runs: ${baselineRuns}\n  runs: 2\n  scenarios:\n    - { scenario: failover, nodes: 30 }\n    - { scenario: discovery, nodes: 20 }\n`

t.test('baseline update: every scenario of the set, or one; unknown names are usage errors', async (t) => {
  const dir = t.testdir({ 'h.yaml': config() })
  const { runner, calls } = stubRunner((seed) => ({ detect_ms: runAround(20, seed), visible_ms: runAround(80, seed) }))
  const all = await capture(() =>
    baselineCommand({ scenario: 'all', config: join(dir, 'h.yaml') } as never, new AbortController().signal, { runner, reportsDir: dir }),
  )
  t.equal(all.code, 0)
  t.equal(calls.length, 8, 'baseline_runs (4) runs of each of the 2 scenarios')
  t.match(all.out, /baseline written: .*failover\.csv\nbaseline written: .*discovery\.csv\n/)
  t.match(all.err, /baseline failover: run 1\/4 \(seed \d+\)/)
  const one = await capture(() =>
    baselineCommand({ scenario: 'discovery', runs: 2, config: join(dir, 'h.yaml') } as never, new AbortController().signal, {
      runner,
      reportsDir: dir,
    }),
  )
  t.equal(one.code, 0)
  t.equal(calls.length, 10, '--runs 2 of one scenario')
  t.strictSame(
    calls.slice(8).map((c) => [c.scenario, c.nodes]),
    [
      ['discovery', 20],
      ['discovery', 20],
    ],
  )
  const err = await baselineCommand({ scenario: 'chaos', config: join(dir, 'h.yaml') } as never, new AbortController().signal, {
    runner,
    reportsDir: dir,
  }).catch((e: unknown) => e)
  t.ok(isNetsimError(err, 'E_USAGE'))
  t.match((err as Error).message, /chaos is not in the regression set \(failover, discovery\)/)
})

t.test('regress: exit 0 unchanged, exit 1 naming the regressed metric; --runs and --only', async (t) => {
  const dir = t.testdir({ 'h.yaml': config() })
  const same = stubRunner((seed) => ({ detect_ms: runAround(20, seed), visible_ms: runAround(80, seed) }))
  await capture(() =>
    baselineCommand({ scenario: 'all', config: join(dir, 'h.yaml') } as never, new AbortController().signal, {
      runner: same.runner,
      reportsDir: dir,
    }),
  )
  const ok = await capture(() =>
    regressCommand({ config: join(dir, 'h.yaml') } as never, new AbortController().signal, { runner: same.runner, reportsDir: dir }),
  )
  t.equal(ok.code, 0)
  t.match(ok.out, /^PASS regress: 2 scenarios, 0 regressed, 0 failed; junit\.xml and regress\.csv in /)
  t.match(ok.err, /sensitivity: the smallest change/)

  const slow = stubRunner((seed) => ({ detect_ms: runAround(40, seed), visible_ms: runAround(80, seed) }))
  const bad = await capture(() =>
    regressCommand({ config: join(dir, 'h.yaml'), runs: 3, only: ['failover'] } as never, new AbortController().signal, {
      runner: slow.runner,
      reportsDir: dir,
    }),
  )
  t.equal(bad.code, 1)
  t.equal(slow.calls.length, 6, '--runs 3 of --only failover, and 3 more confirming the regression')
  // +20 ms, give or take the seeds: they are fresh (random) and the stub shifts each run by up to ±1 ms
  t.match(bad.err, /REGRESSED failover: all\.detect_ms \(p50 \+(1[89]|2[0-2])\.\d ms/)
  t.match(bad.out, /^FAIL regress: 1 scenarios, 1 regressed, 0 failed/)

  const usage = await regressCommand({ config: join(dir, 'h.yaml'), runs: 0 } as never, new AbortController().signal, {}).catch((e: unknown) => e)
  t.ok(isNetsimError(usage, 'E_USAGE'))
  t.match((usage as Error).message, /--runs: expected a whole number >= 1, got 0/)
})
