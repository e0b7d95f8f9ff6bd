import t from 'tap'
import { MemoryMembership, MembershipError, type NodeStateRecord } from '../../../../../sim/transports/nats/orchestrator/membership-store.ts'

const rec = (id: string, m: NodeStateRecord['Membership'] = 'APPROVED'): NodeStateRecord => ({
  Info: { NodeID: id, NodeType: 'Compute' },
  Membership: m,
  Connection: 'CONNECTED',
})

t.test('known() follows every write; first-seen listeners hear each node once', async (t) => {
  const s = new MemoryMembership()
  const early: string[] = []
  s.onFirstSeen((id) => early.push(id))
  await s.put(rec('n1', 'PENDING'))
  await s.put(rec('n1', 'APPROVED'))
  await s.put(rec('n2'))
  t.strictSame(early, ['n1', 'n2'], 'a node written twice is first seen once')
  t.strictSame(
    [...s.known()],
    [
      ['n1', 'APPROVED'],
      ['n2', 'APPROVED'],
    ],
  )
  const late: string[] = []
  s.onFirstSeen((id) => late.push(id))
  t.strictSame(late, ['n1', 'n2'], 'a listener added later hears the nodes seen already, at once')
  t.strictSame(await s.get('n1'), rec('n1', 'APPROVED'))
  t.equal(await s.get('n3'), null)
})

t.test('a failing store throws and records nothing', async (t) => {
  const s = new MemoryMembership()
  s.fail = new MembershipError('TIMEOUT', 'bucket offline')
  await t.rejects(s.put(rec('n1')), { code: 'TIMEOUT' })
  t.equal(s.known().size, 0)
})
