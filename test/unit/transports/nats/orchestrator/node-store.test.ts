import t from 'tap'
import { NodeStore } from '../../../../../sim/transports/nats/orchestrator/node-store.ts'

t.test('register: APPROVED and CONNECTED', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  t.strictSame(s.register('n1', 100), { accepted: true, membership: 'APPROVED', becameConnected: true })
  t.strictSame(s.get('n1'), { id: 'n1', membership: 'APPROVED', connection: 'CONNECTED', lastSeen: 100, lastSeq: -1 })
  t.strictSame(s.register('n1', 200), { accepted: true, membership: 'APPROVED', becameConnected: false }, 'again: already connected')
  t.equal(s.get('n1')?.lastSeen, 200, 'registering stamps the node')
  t.equal(s.get('nope'), undefined)
})

t.test('register with manual approval: PENDING', async (t) => {
  const s = new NodeStore({ manualApproval: true, disconnectAfter: 1000 })
  t.strictSame(s.register('n1', 0), { accepted: true, membership: 'PENDING', becameConnected: true })
  t.equal(s.get('n1')?.membership, 'PENDING')
  t.equal(s.get('n1')?.connection, 'CONNECTED')
  t.ok(s.setMembership('n1', 'APPROVED'))
  t.strictSame(s.register('n1', 5), { accepted: true, membership: 'APPROVED', becameConnected: false }, 'membership kept on re-register')
  t.notOk(s.setMembership('ghost', 'APPROVED'), 'unknown node')
  t.equal(s.get('ghost'), undefined)
})

t.test('REJECTED is refused and left alone', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  s.register('n1', 0)
  s.setMembership('n1', 'REJECTED')
  t.strictSame(s.register('n1', 50), { accepted: false, reason: 'node has been rejected', membership: 'REJECTED', becameConnected: false })
  t.equal(s.get('n1')?.lastSeen, 0, 'not stamped')
  t.equal(s.get('n1')?.membership, 'REJECTED')
})

t.test('heartbeat flips DISCONNECTED to CONNECTED', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  s.register('n1', 0)
  t.strictSame(s.heartbeat('n1', 1, 500), { becameConnected: false, duplicate: false })
  t.strictSame(s.check(1600), ['n1'])
  t.equal(s.get('n1')?.connection, 'DISCONNECTED')
  t.strictSame(s.heartbeat('n1', 2, 1700), { becameConnected: true, duplicate: false })
  t.strictSame(s.get('n1'), { id: 'n1', membership: 'APPROVED', connection: 'CONNECTED', lastSeen: 1700, lastSeq: 2 })
  // register also reconnects
  s.check(3000)
  t.equal(s.register('n1', 3001).becameConnected, true)
})

t.test('duplicate sequence ignored, lower sequence accepted', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  s.register('n1', 0)
  s.heartbeat('n1', 5, 100)
  t.strictSame(s.heartbeat('n1', 5, 150), { becameConnected: false, duplicate: true }, 'second subject, same heartbeat')
  t.equal(s.get('n1')?.lastSeen, 100, 'a duplicate does not stamp')
  // a duplicate does not revive a disconnected node either
  s.check(1200)
  t.strictSame(s.heartbeat('n1', 5, 1300), { becameConnected: false, duplicate: true })
  t.equal(s.get('n1')?.connection, 'DISCONNECTED')
  // a restarted node counts from 1 again
  t.strictSame(s.heartbeat('n1', 1, 1400), { becameConnected: true, duplicate: false })
  t.equal(s.get('n1')?.lastSeq, 1)
  t.equal(s.get('n1')?.lastSeen, 1400)
})

t.test('heartbeat-only node: membership null', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  t.strictSame(s.heartbeat('n9', 3, 42), { becameConnected: true, duplicate: false })
  t.strictSame(s.get('n9'), { id: 'n9', membership: null, connection: 'CONNECTED', lastSeen: 42, lastSeq: 3 })
  // a later register keeps the node and gives it a membership
  t.strictSame(s.register('n9', 50), { accepted: true, membership: 'APPROVED', becameConnected: false })
  t.equal(s.get('n9')?.lastSeq, -1, 'a register is a (re)start: the sequence starts again')
})

t.test('check marks only nodes silent longer than disconnectAfter', async (t) => {
  const s = new NodeStore({ disconnectAfter: 1000 })
  s.register('a', 0)
  s.register('b', 0)
  s.register('c', 0)
  s.heartbeat('b', 1, 500)
  s.heartbeat('c', 1, 1000)
  t.strictSame(s.check(1000), [], 'exactly disconnectAfter is not longer')
  t.strictSame(s.check(1001), ['a'])
  t.strictSame(s.check(1001), [], 'already disconnected: not reported again')
  t.strictSame(s.check(1501), ['b'])
  t.strictSame(s.check(2000), [])
  t.strictSame(s.check(2001), ['c'])
  t.strictSame(
    s.list().map((n) => [n.id, n.connection]),
    [
      ['a', 'DISCONNECTED'],
      ['b', 'DISCONNECTED'],
      ['c', 'DISCONNECTED'],
    ],
  )
})

t.test('disconnectAfter null never disconnects', async (t) => {
  const s = new NodeStore({ disconnectAfter: null })
  s.register('a', 0)
  s.heartbeat('b', 1, 0)
  t.strictSame(s.check(10_000_000), [])
  t.strictSame(
    s.list().map((n) => n.connection),
    ['CONNECTED', 'CONNECTED'],
  )
})

t.test('list in insertion order', async (t) => {
  const s = new NodeStore({ disconnectAfter: 10 })
  s.register('z', 0)
  s.heartbeat('a', 1, 0)
  s.register('m', 0)
  t.strictSame(
    s.list().map((n) => n.id),
    ['z', 'a', 'm'],
  )
  t.strictSame(new NodeStore({ disconnectAfter: 10 }).list(), [])
})
