import t from 'tap'
import type { Server } from '@nats-io/transport-node'
import { goClientOrder } from '../../../../../sim/transports/nats/compute/server-order.ts'
import { createRng } from '../../../../../sim/core/rng.ts'

const server = (listen: string, lastConnect: number): Server =>
  ({
    hostname: listen.split(':')[0],
    port: Number(listen.split(':')[1]),
    listen,
    lastConnect,
    src: listen,
    tlsName: '',
    didConnect: lastConnect > 0,
    reconnects: 0,
    gossiped: false,
  }) as unknown as Server
const target = (r: ReturnType<ReturnType<typeof goClientOrder>>) =>
  r === null ? null : 'server' in r && 'delay' in r ? { to: r.server.listen, delay: r.delay } : { to: (r as Server).listen }

t.test('the least recently dialled server first: a failover goes to a survivor, not the server just lost', async (t) => {
  const order = goClientOrder(createRng(1), () => 2000)
  order.connected()
  const pool = [server('a:1', 500), server('b:1', 0), server('c:1', 100)]
  t.strictSame(target(order(pool)), { to: 'b:1' })
})

t.test('nats.go backoff: the reconnect wait only before every pool-size-th attempt of an episode', async (t) => {
  const order = goClientOrder(createRng(1), () => 2050)
  // first connect: one pass, never a sleep
  t.strictSame(target(order([server('a:1', 0)])), { to: 'a:1' }, 'initial connect: no delay even with one server')
  order.connected()
  const pool = [server('a:1', 10), server('b:1', 0), server('c:1', 0)]
  const first = target(order(pool))
  const second = target(order(pool))
  const third = target(order(pool))
  t.notOk(first && 'delay' in first, 'attempt 1: at once')
  t.notOk(second && 'delay' in second, 'attempt 2: at once')
  t.equal(third && 'delay' in third ? third.delay : null, 2050, 'attempt 3 of a pool of 3: after the wait')
  t.notOk(
    (() => {
      const r = target(order(pool))
      return r && 'delay' in r
    })(),
    'attempt 4 starts the next pass at once',
  )
  order.connected()
  t.notOk(
    (() => {
      const r = target(order(pool))
      return r && 'delay' in r
    })(),
    'a new episode after a connection: at once again',
  )
})

t.test('a node that knows one server waits before every re-dial (nothing else to try)', async (t) => {
  const order = goClientOrder(createRng(2), () => 100)
  order.connected()
  for (let i = 0; i < 3; i++) t.strictSame(target(order([server('a:1', 5)])), { to: 'a:1', delay: 100 })
})

t.test('ties broken by a seeded shuffle: same seed, same order', async (t) => {
  const pool = [server('a:1', 0), server('b:1', 0), server('c:1', 0), server('d:1', 0)]
  const pickWith = (seed: number) => target(goClientOrder(createRng(seed))(pool))
  t.strictSame(pickWith(5), pickWith(5))
  t.ok(new Set([1, 2, 3, 4, 5, 6, 7, 8].map((s) => JSON.stringify(pickWith(s)))).size > 1, 'different seeds spread nodes over the servers')
})
