import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { NatsServer, goMaxProcsFor } from '../../sim/transports/nats/server-process.ts'
import { resolveTimers } from '../../sim/model/profiles.ts'
import { sleep } from '../../sim/core/clock.ts'

/**
 * The same failover with bare nats.js clients: 3 clustered nats-servers, N clients spread over
 * them one seed each, the first server killed; reconnect time per client of the killed server.
 */
export const bareFailover = async (opts: {
  binary: string
  nodes: number
  workers: number
  timeScale: number
  subscriptions?: boolean
}): Promise<number[]> => {
  const dir = mkdtempSync(join(tmpdir(), 'netsim-bench-bare-'))
  const lameDuck = { durationMs: 30_000, graceMs: 0 }
  const servers: NatsServer[] = []
  const workers: ReturnType<typeof fork>[] = []
  try {
    // the same GOMAXPROCS as netsim's orchestrators get
    const goMaxProcs = goMaxProcsFor(3)
    servers.push(
      await NatsServer.start({ binary: opts.binary, dir, goMaxProcs, config: { name: 'b0', cluster: { name: 'bare', routes: [] }, lameDuck } }),
    )
    for (const k of [1, 2])
      servers.push(
        await NatsServer.start({
          binary: opts.binary,
          dir,
          goMaxProcs,
          config: { name: `b${k}`, cluster: { name: 'bare', routes: [servers[0]?.clusterHostPort as string] }, lameDuck },
        }),
      )
    await sleep(1500) // routes (the 1 s route retry)
    const t = resolveTimers('v1.5', opts.timeScale)
    const clientOpts = {
      timeout: t.connect_timeout,
      reconnectTimeWait: t.reconnect_wait,
      reconnectJitter: t.reconnect_jitter,
      pingInterval: t.ping_interval,
      maxPingOut: t.max_pings_out,
      maxReconnectAttempts: t.max_reconnects,
    }
    const per = Math.ceil(opts.nodes / opts.workers)
    for (let w = 0; w < opts.workers; w++) {
      const child = fork(new URL('./bare-worker.ts', import.meta.url).pathname, [], {
        execArgv: ['--disable-warning=ExperimentalWarning'],
        serialization: 'advanced',
      })
      workers.push(child)
      const count = Math.min(per, opts.nodes - w * per)
      child.send({
        type: 'start',
        seeds: servers.map((s) => s.clientHostPort),
        count,
        offset: w * per,
        opts: clientOpts,
        subscriptions: opts.subscriptions ?? false,
      })
    }
    await Promise.all(workers.map((w) => once(w, 'message')))
    await sleep(1000)
    const killedAt = performance.timeOrigin + performance.now()
    await servers[0]?.kill()
    await sleep(Math.max(3000, opts.nodes)) // generous: ~1 ms per client
    const times: number[] = []
    for (const w of workers) {
      w.send({ type: 'collect' })
      const [msg] = (await once(w, 'message')) as [{ reconnectAt: number[] }]
      times.push(...msg.reconnectAt.map((x) => x - killedAt))
    }
    return times.sort((a, b) => a - b)
  } finally {
    for (const w of workers) w.kill('SIGKILL')
    await Promise.all(servers.map((s) => s.kill()))
    rmSync(dir, { recursive: true, force: true })
  }
}
