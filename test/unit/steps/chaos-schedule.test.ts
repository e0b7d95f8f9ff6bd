import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { drawChaosSchedule } from '../../../sim/steps/chaos-schedule.ts'
import { createRng } from '../../../sim/core/rng.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'

const choices = [
  { weight: 2, fault: { type: 'kill' as const, target: 'random', direction: 'both' as const, probability: 1, durationMs: 2000 } },
  {
    weight: 1,
    fault: {
      type: 'blackhole' as const,
      target: { group: 'random', orchestrator: 'random' },
      direction: 'both' as const,
      probability: 1,
      durationMs: 3000,
    },
  },
]
const draw = (seed: number) =>
  drawChaosSchedule({ durationMs: 30_000, gapMs: 1000, choices, orchestrators: ['orch-0', 'orch-1', 'orch-2'], groups: ['a', 'b'] }, createRng(seed))

t.test('same seed, same schedule; another seed, another', async (t) => {
  t.strictSame(draw(7), draw(7))
  t.notSame(draw(7), draw(8))
})

t.test('one fault at a time, random targets resolved, within the duration', async (t) => {
  const s = draw(3)
  t.ok(s.length >= 7, `${s.length} faults`)
  for (const [i, e] of s.entries()) {
    t.ok(e.atMs < 30_000)
    if (i > 0)
      t.equal(e.atMs, (s[i - 1]?.atMs as number) + (s[i - 1]?.fault.durationMs as number) + 1000, 'starts after the previous heal and the gap')
    const target = e.fault.target
    if (typeof target === 'string') t.match(target, /^orch-[0-2]$/)
    else t.ok(['a', 'b'].includes(target.group) && /^orch-[0-2]$/.test(target.orchestrator))
  }
})

t.test('the plan of the chaos scenario is reproducible from its seed and replayable from run.json', async (t) => {
  const a = resolvePlan({ scenario: 'chaos', seed: 11, configFile: null })
  const b = resolvePlan({ scenario: 'chaos', seed: 11, configFile: null })
  const schedule = (p: typeof a) => p.timeline.find((s) => s.kind === 'chaos')
  t.strictSame(schedule(a), schedule(b))
  t.notSame(schedule(a), schedule(resolvePlan({ scenario: 'chaos', seed: 12, configFile: null })))
  const dir = t.testdir()
  const runJson = join(dir, 'run.json')
  writeFileSync(runJson, JSON.stringify({ seed: 11, config: a }))
  const replayed = resolvePlan({ scenario: 'chaos', replay: runJson, configFile: null })
  t.equal(replayed.seed, 11, 'the recorded seed')
  t.strictSame((schedule(replayed) as unknown as { schedule: unknown }).schedule, (schedule(a) as unknown as { schedule: unknown }).schedule)
})
