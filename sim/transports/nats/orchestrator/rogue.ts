import { connect } from '@nats-io/transport-node'
import { sleep, now } from '../../../core/clock.ts'
import { NatsServer } from '../server-process.ts'
import type { RogueResult } from '../../../core/cluster.ts'

/**
 * The attack Bacalhau's open cluster allows (no route authentication): anyone who can reach a
 * cluster port starts their own nats-server with a route to it, connects to their own server
 * (no token needed there) and subscribes to everything. We count what it sees.
 */
export const probeWithRogueServer = async (opts: {
  binary: string
  dir: string
  cluster: string
  /** a live member's cluster host:port */
  route: string
  windowMs: number
}): Promise<RogueResult> => {
  const server = await NatsServer.start({
    binary: opts.binary,
    dir: opts.dir,
    config: { name: 'rogue', cluster: { name: opts.cluster, routes: [opts.route] }, lameDuck: { durationMs: 30_000, graceMs: 0 } },
  })
  try {
    const nc = await connect({ servers: [server.clientHostPort], name: 'rogue' })
    const ready = now()
    let messages = 0
    let firstMs: number | null = null
    const subjects = new Set<string>()
    nc.subscribe('>', {
      callback: (_e, m) => {
        messages++
        firstMs ??= now() - ready
        if (subjects.size < 10) subjects.add(m.subject.replace(/\.[^.]*-\d+\./, '.<id>.'))
      },
    })
    await nc.flush()
    await sleep(opts.windowMs)
    const routez = await fetch(`http://127.0.0.1:${server.ports.http}/routez`).then((r) => r.json() as Promise<{ num_routes: number }>)
    await nc.close()
    return { joined: routez.num_routes > 0, messages, firstMs: firstMs === null ? null : Math.round(firstMs * 1000) / 1000, subjects: [...subjects] }
  } finally {
    await server.kill()
  }
}
