/**
 * Link-layer overhead: round trips (NATS PING/PONG) to a real nats-server, directly and through
 * the link process's proxy with no fault active, interleaved in the same run so both see the
 * same machine. Prints p50/p99 of each, the p50 overhead in ms and the ratio.
 *
 *   npm run bench:link [-- --samples 3000]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connect } from '@nats-io/transport-node'
import { quantileSorted } from 'simple-statistics'
import { NatsServer } from '../sim/transports/nats/server-process.ts'
import { findNatsServer } from '../sim/platform/nats-server-binary.ts'
import { ProxyLinks } from '../sim/backends/process/links/proxy-links.ts'
import { newRunId } from '../sim/platform/run-dir.ts'

const flag = process.argv.indexOf('--samples')
const samples = flag > 0 ? Number(process.argv[flag + 1]) : 3000
const dir = mkdtempSync(join(tmpdir(), 'netsim-bench-link-'))
const server = await NatsServer.start({ binary: findNatsServer(), dir, config: { name: 'bench', lameDuck: { durationMs: 30_000, graceMs: 0 } } })
const links = new ProxyLinks({ runId: newRunId(), groups: ['g'], seed: 1 })
try {
  await links.attach('orch-0', server.clientHostPort)
  const direct = await connect({ servers: [server.clientHostPort] })
  const proxied = await connect({ servers: [links.addressFor('g', 'orch-0') as string] })
  // nc.rtt() has millisecond resolution; time a flush (PING → PONG) with performance.now().
  const rtt = async (nc: typeof direct) => {
    const t0 = performance.now()
    await nc.flush()
    return performance.now() - t0
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < 200; i++) await Promise.all([rtt(direct), rtt(proxied)]) // warm up
  for (let i = 0; i < samples; i++) {
    // Alternate which goes first, so neither always pays for the other.
    if (i % 2 === 0) {
      a.push(await rtt(direct))
      b.push(await rtt(proxied))
    } else {
      b.push(await rtt(proxied))
      a.push(await rtt(direct))
    }
  }
  const stats = (x: number[]) => {
    const s = [...x].sort((p, q) => p - q)
    return { p50: quantileSorted(s, 0.5), p99: quantileSorted(s, 0.99) }
  }
  const d = stats(a)
  const p = stats(b)
  const f = (x: number) => x.toFixed(3).padStart(8)
  console.log(`link-layer overhead, ${samples} round trips each (PING/PONG to nats-server ${server.clientHostPort}), interleaved`)
  console.log(`                 p50 ms   p99 ms`)
  console.log(`direct         ${f(d.p50)} ${f(d.p99)}`)
  console.log(`through proxy  ${f(p.p50)} ${f(p.p99)}`)
  console.log(
    `overhead p50: ${(p.p50 - d.p50).toFixed(3)} ms (target < 0.200), ratio ${(p.p50 / d.p50).toFixed(2)}x; p99 ratio ${(p.p99 / d.p99).toFixed(2)}x`,
  )
  await direct.close()
  await proxied.close()
} finally {
  await links.dispose()
  await server.kill()
  rmSync(dir, { recursive: true, force: true })
}
