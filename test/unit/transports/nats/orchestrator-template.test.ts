import t from 'tap'
import { expandOrchestratorTemplate, checkOrchestratorTemplate } from '../../../../sim/transports/nats/orchestrator-template.ts'
import { parseOrchestratorList } from '../../../../sim/model/orchestrator-list.ts'

const orchestrators = new Map([
  ['orch-0', '127.0.0.1:4001'],
  ['orch-1', '127.0.0.1:4002'],
])

t.test('placeholders expand; tokens are percent-encoded and survive parsing', async (t) => {
  const token = 'a@b:c/d%e f'
  const s = expandOrchestratorTemplate('nats://{token}@{orch-0},{orch-1}', { orchestrators, token })
  t.equal(s, `nats://${encodeURIComponent(token)}@127.0.0.1:4001,127.0.0.1:4002`)
  const parsed = parseOrchestratorList(s)
  t.equal(parsed[0]?.token, token, 'the node reads back the exact token')
  t.equal(parsed[1]?.token, undefined)
  t.equal(expandOrchestratorTemplate('nats://{wrong_token}@{orch-1}', { orchestrators, wrongToken: 'w' }), 'nats://w@127.0.0.1:4002')
})

t.test('problems are found before a run starts', async (t) => {
  t.equal(checkOrchestratorTemplate('nats://{token}@{orch-0}', 2), null)
  t.match(checkOrchestratorTemplate('{orch-2}', 2), /\{orch-2\} does not exist at start: the run starts 2/)
  t.match(checkOrchestratorTemplate('{orchestrator}', 2), /unknown placeholder \{orchestrator\}/)
  t.match(checkOrchestratorTemplate('nats://{orch-0}:99999', 2), /port 99999 is outside/)
  t.match(checkOrchestratorTemplate('tok@{orch-0}', 2), /a token is only read from a nats:\/\/ URL/)
})
