import t from 'tap'
import { join } from 'node:path'
import { FAULTS, PROCESS_FAULT_NAMES } from '../../../sim/faults/index.ts'
import { applyFault } from '../../../sim/faults/apply-fault.ts'
import { Recorder } from '../../../sim/core/recorder.ts'
import { createRng } from '../../../sim/core/rng.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import type { Cluster, Member } from '../../../sim/core/cluster.ts'

t.test('restart is registered by its file alone: a process fault, disruptive, a --fault choice', async (t) => {
  const f = FAULTS.get('restart')
  t.equal(f?.acts, 'process')
  t.equal(f?.disruptive, true)
  t.ok(PROCESS_FAULT_NAMES.includes('restart'))
})

t.test('applying it restarts the target through its cluster; healing does nothing more', async (t) => {
  const calls: string[] = []
  const member = { name: 'orch-1', state: 'up', clientHostPort: 'h:1', kill: async () => void calls.push('kill') } as unknown as Member
  const cluster = {
    members: [member],
    live: () => [member],
    get: () => member,
    restart: async (name: string) => void calls.push(`restart ${name}`),
  } as unknown as Cluster
  const recorder = new Recorder()
  const f = await applyFault(
    { cluster, links: null, recorder, rng: createRng(1), seed: 1 },
    { type: 'restart', target: 'orch-1', direction: 'both', probability: 1 },
    'f0',
  )
  t.strictSame(calls, ['restart orch-1'], 'one restart (the cluster kills, then boots it on its ports)')
  const apply = recorder.events.find((e) => e.kind === 'fault.apply')
  t.match(
    apply,
    { orch: 'orch-1', data: { type: 'restart', target_kind: 'orchestrator', disruptive: true, id: 'f0' } },
    'recorded before it acts, as every fault',
  )
  await f.heal()
  t.strictSame(calls, ['restart orch-1'], 'nothing to undo')
  t.ok(
    recorder.events.some((e) => e.kind === 'fault.heal'),
    'the heal is recorded: the fault window closes',
  )
})

t.test('a scenario can name it, and --fault can choose it for `fault: default` steps', async (t) => {
  const d = t.testdir({
    's.yaml': 'groups:\n  - name: g\n    count: 3\ntimeline:\n  - fault: restart\n    target: busiest\n  - fault: default\n    target: orch-0\n',
  })
  const p = resolvePlan({ scenario: join(d, 's.yaml'), configFile: null, seed: 1, fault: 'restart' })
  t.match(p.timeline, [
    { kind: 'fault', fault: { type: 'restart', target: 'busiest' } },
    { kind: 'fault', fault: { type: 'restart', target: 'orch-0' } },
  ])
})
