import t from 'tap'
import { ReplyWaiters } from '../../../sim/platform/reply-waiters.ts'

type M = { type: string; n?: number }

t.test('a message resolves the oldest wait for its type, once', async (t) => {
  const r = new ReplyWaiters<M>()
  const first = r.wait('ready', 1000)
  const second = r.wait('ready', 1000)
  const other = r.wait('stopped', 1000)
  t.equal(r.deliver({ type: 'ready', n: 1 }), true)
  t.equal(r.deliver({ type: 'ready', n: 2 }), true)
  t.equal(r.deliver({ type: 'ready', n: 3 }), false, 'nobody waits for a third')
  t.strictSame(await first, { type: 'ready', n: 1 })
  t.strictSame(await second, { type: 'ready', n: 2 })
  r.deliver({ type: 'stopped' })
  t.strictSame(await other, { type: 'stopped' })
})

t.test('a wait times out, and a reply after it goes to nobody', async (t) => {
  const r = new ReplyWaiters<M>()
  await t.rejects(r.wait('ready', 10), /no "ready" within 10 ms/)
  t.equal(r.deliver({ type: 'ready' }), false)
})

t.test('failAll fails every wait with the reason and what it waited for', async (t) => {
  const r = new ReplyWaiters<M>()
  const a = r.wait('ready', 1000)
  const b = r.wait('bids', 1000)
  r.failAll('process exited (SIGKILL)')
  await t.rejects(a, { message: 'process exited (SIGKILL), before "ready"' })
  await t.rejects(b, { message: 'process exited (SIGKILL), before "bids"' })
  t.equal(r.deliver({ type: 'ready' }), false, 'nothing left waiting')
})
