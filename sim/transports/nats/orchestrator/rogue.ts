import { monitor, NatsServer } from '../server-process.ts'
import type { RogueResult } from '../../../core/cluster.ts'
import type { Placement } from '../../../core/placement.ts'
import { AgentProcess } from '../../../platform/agent-process.ts'
import { LOCAL_PLACEMENT } from '../../../platform/local-launch.ts'
import type { RogueCommand } from './rogue-main.ts'

/**
 * The attack Bacalhau's open cluster allows (no route authentication): anyone who can reach a
 * cluster port starts their own nats-server with a route to it, connects to their own server
 * (no token needed there) and subscribes to everything. We count what it sees. The server and
 * its listener (rogue-main.ts) run on the run's spare host: here, or a container of its own
 * on the docker backend.
 */
export const probeWithRogueServer = async (opts: {
  runId: string
  binary: string
  dir: string
  cluster: string
  /** a live member's cluster host:port */
  route: string
  windowMs: number
  placement?: Placement
}): Promise<RogueResult> => {
  const placement = opts.placement ?? LOCAL_PLACEMENT
  const server = await NatsServer.start({
    binary: opts.binary,
    dir: opts.dir,
    config: { name: 'rogue', cluster: { name: opts.cluster, routes: [opts.route] }, lameDuck: { durationMs: 30_000, graceMs: 0 } },
    placement,
  })
  try {
    let fatal: string | null = null
    const listener = await AgentProcess.launch(
      placement,
      new URL('./rogue-main.ts', import.meta.url),
      [opts.runId, 'rogue'],
      () => undefined,
      (m) => (fatal = m),
    )
    try {
      const reply = listener.waitFor('rogue', opts.windowMs + 15_000)
      listener.send({ type: 'probe', server: server.clientHostPort, windowMs: opts.windowMs } satisfies RogueCommand)
      const r = (await reply.catch((e: Error) => Promise.reject(new Error(fatal ?? e.message)))) as unknown as Omit<RogueResult, 'joined'>
      const routez = await monitor<{ num_routes: number }>(server, '/routez')
      return { joined: routez.num_routes > 0, messages: r.messages, firstMs: r.firstMs, subjects: r.subjects }
    } finally {
      await listener.kill()
    }
  } finally {
    await server.kill()
  }
}
