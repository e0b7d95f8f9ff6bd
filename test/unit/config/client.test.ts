import t from 'tap'
import { resolvePlan } from '../../../sim/config/resolve.ts'
import { fails, plan } from './plan-helpers.ts'

const scenario = `
groups:
  - { name: compute, count: 6 }
timeline:
  - wait_for: discovered
    timeout: 10s
`

t.test('client: sim by default; nats.go from the scenario or the flag', async (t) => {
  t.equal(plan(t, scenario).client, 'sim')
  t.equal(plan(t, `client: nats.go\n${scenario}`).client, 'nats.go')
  t.equal(plan(t, scenario, { client: 'nats.go' }).client, 'nats.go')
})

t.test('the nats.go reference client runs NATS nodes without jobs; anything else is refused before the run', async (t) => {
  const e = fails(t, 'E_UNSUPPORTED', () => plan(t, scenario, { client: 'nats.go', transport: 'libp2p' }))
  t.match(e?.message, /--client nats\.go: .*transport is libp2p/)
  const j = fails(t, 'E_UNSUPPORTED', () => resolvePlan({ scenario: 'failover', configFile: null, seed: 1, client: 'nats.go', jobs: true }))
  t.match(j?.message, /run no jobs/)
  t.equal(
    resolvePlan({ scenario: 'failover', configFile: null, seed: 1, client: 'nats.go' }).client,
    'nats.go',
    'an opt-in workload left out is fine',
  )
})
