import t from 'tap'
import { createServer, connect, type Socket, type Server } from 'node:net'
import { once } from 'node:events'
import { LinkProxy } from '../../../../../sim/backends/process/links/link-proxy.ts'
import type { LinkFaultSpec } from '../../../../../sim/core/links.ts'
import { linkFaultSpec } from '../../../../helpers/link-fault.ts'
import { sleep } from '../../../../../sim/core/clock.ts'

/** An echo server on loopback standing in for nats-server (lines end in CRLF, as NATS's do). */
const echo = async (t: { teardown: (f: () => void) => void }): Promise<{ server: Server; port: number; sockets: Set<Socket> }> => {
  const sockets = new Set<Socket>()
  const server = createServer((s) => {
    sockets.add(s)
    s.on('data', (d) => s.write(d))
    s.on('error', () => {})
    s.on('close', () => sockets.delete(s))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => {
    for (const s of sockets) s.destroy()
    server.close()
  })
  return { server, port: (server.address() as { port: number }).port, sockets }
}

const proxyTo = async (t: { teardown: (f: () => Promise<void>) => void }, port: number) => {
  const p = new LinkProxy('g', 'orch-0', { host: '127.0.0.1', port }, () => undefined, 1)
  await p.listen()
  t.teardown(() => p.close())
  return p
}

const client = async (port: number) => {
  const c = connect({ host: '127.0.0.1', port })
  c.on('error', () => {})
  await once(c, 'connect')
  return c
}

/** Round trip of one message, in ms; null when nothing came back within `within`. */
const roundTrip = async (c: Socket, within = 500): Promise<number | null> => {
  const start = performance.now()
  c.write('ping\r\n')
  const got = await Promise.race([once(c, 'data').then(() => true), sleep(within).then(() => false)])
  return got ? performance.now() - start : null
}

const fault = (type: string, extra: Parameters<typeof linkFaultSpec>[1] = {}): LinkFaultSpec => linkFaultSpec(type, extra)

t.test('no fault: bytes pass both ways', async (t) => {
  const { port } = await echo(t)
  const p = await proxyTo(t, port)
  const c = await client(p.port)
  t.ok((await roundTrip(c)) !== null)
  c.destroy()
})

t.test('black hole: silent (no close, no reset), data swallowed; heal restores the link', async (t) => {
  const { port } = await echo(t)
  const p = await proxyTo(t, port)
  const c = await client(p.port)
  let closed = false
  c.on('close', () => (closed = true))
  await p.apply(fault('blackhole'))
  t.equal(await roundTrip(c, 300), null, 'nothing comes back')
  t.notOk(closed, 'the client sees no FIN and no RST')
  await p.heal('blackhole')
  t.ok((await roundTrip(c)) !== null, 'after the heal the same connection works')
  c.destroy()
})

t.test('reset: the client sees ECONNRESET at once', async (t) => {
  const { port } = await echo(t)
  const p = await proxyTo(t, port)
  const c = await client(p.port)
  const err = once(c, 'error')
  await p.apply(fault('reset'))
  const [e] = (await Promise.race([err, sleep(1000).then(() => [null])])) as [NodeJS.ErrnoException | null]
  t.equal(e?.code, 'ECONNRESET')
})

t.test('latency: adds the delay; heal delivers what was queued, in order', async (t) => {
  const { port } = await echo(t)
  const p = await proxyTo(t, port)
  const c = await client(p.port)
  const base = (await roundTrip(c)) as number
  await p.apply(fault('latency', { latencyMs: 100, jitterMs: 0 }))
  const slow = (await roundTrip(c)) as number
  t.ok(slow >= 190, `two directions of 100 ms: ${slow.toFixed(1)} ms (was ${base.toFixed(1)})`)
  // queue something, heal at once: it still arrives
  const chunks: string[] = []
  c.on('data', (d) => chunks.push(d.toString()))
  c.write('a\r\n')
  c.write('b\r\n')
  await p.heal('latency')
  await sleep(100)
  t.equal(chunks.join(''), 'a\r\nb\r\n', 'in-flight data delivered after the heal')
  c.destroy()
})

t.test('down: connections refused until the heal', async (t) => {
  const { port } = await echo(t)
  const p = await proxyTo(t, port)
  await p.apply(fault('down'))
  const refused = connect({ host: '127.0.0.1', port: p.port })
  const [e] = (await once(refused, 'error')) as [NodeJS.ErrnoException]
  t.equal(e.code, 'ECONNREFUSED')
  await p.heal('down')
  const c = await client(p.port)
  t.ok((await roundTrip(c)) !== null, 'the same address accepts again')
  c.destroy()
})

t.test('probability 0 hits nothing; direction to_node swallows replies only', async (t) => {
  const { port, sockets } = await echo(t)
  const p = await proxyTo(t, port)
  const c = await client(p.port)
  await p.apply(fault('blackhole', { id: 'p0', probability: 0 }))
  t.ok((await roundTrip(c)) !== null, 'p=0: untouched')
  await p.heal('p0')
  await p.apply(fault('blackhole', { id: 'down-only', direction: 'to_node' }))
  let serverGot = 0
  for (const s of sockets) s.on('data', () => serverGot++)
  t.equal(await roundTrip(c, 300), null, 'no reply reaches the client')
  t.ok(serverGot > 0, 'but the server received the request')
  c.destroy()
})
