import t from 'tap'
import { join } from 'node:path'
import { hostPlanFor } from '../../../sim/run/run-hosts.ts'
import { resolvePlan } from '../../../sim/config/resolve.ts'

t.test("the run's hosts: every orchestrator it will ever have (scale steps too), then the groups", async (t) => {
  const d = t.testdir({
    's.yaml':
      'orchestrators: { count: 2 }\ngroups:\n  - { name: edge, count: 3 }\n  - { name: core, count: 0 }\ntimeline:\n  - scale: { orchestrators: 4 }\n',
  })
  const plan = resolvePlan({ scenario: join(d, 's.yaml'), configFile: null, seed: 1 })
  t.same(hostPlanFor(plan, '20261127-210012-675819'), {
    runId: '20261127-210012-675819',
    orchestrators: ['orch-0', 'orch-1', 'orch-2', 'orch-3'],
    groups: ['edge', 'core'],
  })
})

t.test('docker with an engine answering: full runs are refused as not wired yet', async (t) => {
  const { checkRunBackend } = await import('../../../sim/run/run-hosts.ts')
  const { createBackend } = await import('../../../sim/backends/index.ts')
  const engineAnswers = async (name: 'process' | 'netns' | 'docker') => createBackend(name)
  await t.rejects(checkRunBackend({ backend: 'docker' }, engineAnswers), {
    code: 'E_BACKEND_UNSUPPORTED',
    message: /not wired yet.*--backend process/,
  })
  t.equal((await checkRunBackend({ backend: 'process' }, engineAnswers)).name, 'process')
})
