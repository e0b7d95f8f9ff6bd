import t from 'tap'
import { MembershipError, MemoryMembership } from '../../../../../sim/transports/nats/orchestrator/membership-store.ts'
import { NodeManager } from '../../../../../sim/transports/nats/orchestrator/node-manager.ts'

const info = (id: string) => ({ NodeID: id, NodeType: 'Compute' })

t.test('RegisterNode writes the node APPROVED and CONNECTED; again, it is "already registered"', async (t) => {
  const store = new MemoryMembership()
  const m = new NodeManager(store, { manualApproval: false })
  t.strictSame(await m.register(info('n1')), { accepted: true, membership: 'APPROVED' })
  t.strictSame(await store.get('n1'), { Info: info('n1'), Membership: 'APPROVED', Connection: 'CONNECTED' })
  t.strictSame(await m.register(info('n1')), { accepted: true, reason: 'node already registered', membership: 'APPROVED' })
  t.strictSame([...store.known()], [['n1', 'APPROVED']])
})

t.test('manual approval: PENDING; REJECTED is refused', async (t) => {
  const store = new MemoryMembership()
  const m = new NodeManager(store, { manualApproval: true })
  t.strictSame(await m.register(info('n1')), { accepted: true, membership: 'PENDING' })
  await store.put({ Info: info('n1'), Membership: 'REJECTED', Connection: 'CONNECTED' })
  t.strictSame(await m.register(info('n1')), { accepted: false, reason: 'node has been rejected', membership: 'REJECTED' })
  t.strictSame(await m.updateInfo(info('n1')), { accepted: false, reason: 'node registration rejected' })
})

t.test('a store that cannot answer fails the registration (the node gets the error)', async (t) => {
  const store = new MemoryMembership()
  const m = new NodeManager(store, { manualApproval: false })
  store.fail = new MembershipError('TIMEOUT', 'failed to get node state from node store: timeout')
  await t.rejects(m.register(info('n1')), { code: 'TIMEOUT' })
  await t.rejects(m.updateInfo(info('n1')), { code: 'TIMEOUT' })
  store.fail = null
  t.strictSame(await m.register(info('n1')), { accepted: true, membership: 'APPROVED' }, 'back once the store answers')
})

t.test('a failed read alone does not fail a registration: Bacalhau goes on to write the node', async (t) => {
  const store = new MemoryMembership()
  const get = store.get.bind(store)
  let reads = 0
  store.get = async (id) => {
    reads++
    if (reads === 1) throw new MembershipError('TIMEOUT', 'timeout')
    return get(id)
  }
  const m = new NodeManager(store, { manualApproval: false })
  t.strictSame(await m.register(info('n1')), { accepted: true, membership: 'APPROVED' })
  t.equal((await store.get('n1'))?.Membership, 'APPROVED')
})

t.test('UpdateNodeInfo and UpdateResources need the node in the store', async (t) => {
  const store = new MemoryMembership()
  const m = new NodeManager(store, { manualApproval: false })
  t.strictSame(await m.updateInfo(info('ghost')), { accepted: false, reason: 'node not yet registered' })
  await t.rejects(m.updateResources('ghost'), { code: 'NOT_REGISTERED', message: /missing node: ghost/ })
  await m.register(info('n1'))
  await store.put({ Info: info('n1'), Membership: 'PENDING', Connection: 'DISCONNECTED' })
  t.strictSame(await m.updateInfo({ ...info('n1'), NodeType: 'Compute' }), { accepted: true, membership: 'PENDING' })
  t.strictSame(await store.get('n1'), { Info: info('n1'), Membership: 'PENDING', Connection: 'CONNECTED' }, 'approval kept, info written again')
  t.strictSame(await m.updateResources('n1'), { accepted: true, membership: 'PENDING' })
})

t.test('the store tells once when it first sees a node', async (t) => {
  const store = new MemoryMembership()
  const seen: string[] = []
  store.onFirstSeen((id) => seen.push(id))
  const m = new NodeManager(store, { manualApproval: false })
  await m.register(info('a'))
  await m.register(info('a'))
  await m.updateInfo(info('a'))
  await m.register(info('b'))
  t.strictSame(seen, ['a', 'b'])
})
