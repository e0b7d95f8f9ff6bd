import t from 'tap'
import { addressAt, assertIfName, layoutFor, MAX_HOSTS, netnsName, runIdOfNetns } from '../../../sim/backends/netns/layout.ts'
import { isBackendError } from '../../../sim/core/hosts.ts'

const runId = '20261127-210012-675819'

t.test('namespaces, interfaces and addresses of a plan', async (t) => {
  const l = layoutFor({ runId, orchestrators: ['orch-0', 'orch-1'], groups: ['edge nodes/β'] })
  t.equal(l.bridgeNetns, `netsim-${runId}-br`)
  t.same(
    l.hosts.map((h) => [h.host, h.role, h.netns, h.bridgePort, h.address]),
    [
      ['orch-0', 'orchestrator', `netsim-${runId}-o0`, 'vo0', '127.200.0.1'],
      ['orch-1', 'orchestrator', `netsim-${runId}-o1`, 'vo1', '127.200.0.2'],
      ['edge nodes/β', 'group', `netsim-${runId}-g0`, 'vg0', '127.200.0.3'],
    ],
    'any host name works: names are index-based',
  )
  for (const h of l.hosts) t.ok(h.bridgePort.length <= 15, 'fits IFNAMSIZ')
})

t.test('addresses stay inside 127.200.0.0/16, skipping .0.0 and the broadcast', async (t) => {
  t.equal(addressAt(0), '127.200.0.1')
  t.equal(addressAt(254), '127.200.0.255')
  t.equal(addressAt(255), '127.200.1.0')
  t.equal(addressAt(MAX_HOSTS - 1), '127.200.255.253', "the last host address; .254 is the bridge namespace's")
  t.throws(() => addressAt(MAX_HOSTS))
  t.throws(() => addressAt(-1))
})

t.test('the largest plan still has legal interface names', async (t) => {
  const groups = Array.from({ length: 70_000 }, (_, i) => `g${i}`)
  t.throws(() => layoutFor({ runId, orchestrators: [], groups }), /at most 65533/)
  const l = layoutFor({ runId, orchestrators: ['o'], groups: groups.slice(0, 9_999) })
  t.equal(l.hosts.at(-1)?.bridgePort, 'vg9998')
  t.equal(l.hosts.at(-1)?.address, '127.200.39.16')
})

t.test('bad plans are E_BACKEND_PLAN', async (t) => {
  const code = (f: () => unknown) => {
    try {
      f()
      return 'no error'
    } catch (e) {
      return isBackendError(e, 'E_BACKEND_PLAN') ? 'E_BACKEND_PLAN' : String(e)
    }
  }
  t.equal(
    code(() => layoutFor({ runId: 'x/../y', orchestrators: ['a'], groups: [] })),
    'E_BACKEND_PLAN',
    'run id format is checked',
  )
  t.equal(
    code(() => layoutFor({ runId, orchestrators: ['a'], groups: ['a'] })),
    'E_BACKEND_PLAN',
    'a name used twice',
  )
  t.equal(
    code(() => layoutFor({ runId, orchestrators: [''], groups: [] })),
    'E_BACKEND_PLAN',
    'an empty name',
  )
  t.equal(
    code(() => assertIfName('a-very-long-ifname')),
    'E_BACKEND_PLAN',
    '> 15 characters',
  )
  t.equal(
    code(() => assertIfName('a b')),
    'E_BACKEND_PLAN',
  )
})

t.test('reap recognises exactly the run namespaces netsim creates', async (t) => {
  t.equal(runIdOfNetns(netnsName(runId, 'o12')), runId)
  t.equal(runIdOfNetns(netnsName(runId, 'g0')), runId)
  t.equal(runIdOfNetns(netnsName(runId, 'br')), runId)
  t.equal(runIdOfNetns('netsim-probe-1234-abcdef'), null, 'the availability probe is not a run')
  t.equal(runIdOfNetns(`netsim-${runId}-x1`), null)
  t.equal(runIdOfNetns(`other-${runId}-o0`), null)
  t.equal(runIdOfNetns(`netsim-${runId}-o0-extra`), null)
})
