/**
 * Bare nats.js clients for the benchmark's comparison: the same connection options as a
 * simulated node (reconnect wait, jitter, ping, max reconnects, and the Go client's server order
 * and backoff, sim/transports/nats/compute/server-order.ts), and nothing of netsim's agent logic (no
 * registration, heartbeats, subscriptions, events or IPC per node). Reports, per client, the
 * epoch time of its first reconnect.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node'
import { goClientOrder } from '../../sim/transports/nats/compute/server-order.ts'
import { createRng } from '../../sim/core/rng.ts'

type Cmd =
  | { type: 'start'; seeds: string[]; count: number; offset: number; opts: Record<string, number>; subscriptions?: boolean }
  | { type: 'collect' }
  | { type: 'stop' }

const clients: NatsConnection[] = []
const reconnectAt: number[] = []

process.on('message', async (cmd: Cmd) => {
  if (cmd.type === 'start') {
    const lanes = 100
    let next = 0
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        while (next < cmd.count) {
          const i = next++
          const rng = createRng(cmd.offset + i)
          const o = cmd.opts
          const order = goClientOrder(rng, () => (o['reconnectTimeWait'] ?? 2000) + rng.next() * (o['reconnectJitter'] ?? 100))
          const nc = await connect({
            servers: [cmd.seeds[(cmd.offset + i) % cmd.seeds.length] as string],
            ...o,
            noRandomize: true,
            reconnectToServer: order,
            reconnectDelayHandler: () => 0,
          })
          order.connected()
          // --bare-subscriptions: a simulated node's two subscriptions (the dispatcher's calls and
          // the request inbox), nothing else: what they alone cost a failover.
          if (cmd.subscriptions) {
            nc.subscribe(`node.compute.bare-${cmd.offset + i}.*`, { callback: () => {} })
            nc.subscribe(`_INBOX.bare${cmd.offset + i}.*`, { callback: () => {} })
          }
          clients.push(nc)
          void (async () => {
            for await (const s of nc.status()) {
              if (s.type !== 'reconnect') continue
              order.connected()
              if (reconnectAt[i] === undefined) reconnectAt[i] = performance.timeOrigin + performance.now()
            }
          })()
        }
      }),
    )
    process.send?.({ type: 'ready' })
  } else if (cmd.type === 'collect') {
    process.send?.({ type: 'collected', reconnectAt: reconnectAt.filter((x) => x !== undefined) })
  } else {
    await Promise.all(clients.map((c) => c.close().catch(() => {})))
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
