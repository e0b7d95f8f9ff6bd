import t from 'tap'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer, type Socket } from 'node:net'
import { join } from 'node:path'
import { dockerAvailable, dockerTarget, pingEngine } from '../../../sim/backends/docker/docker-available.ts'

const none = () => false

t.test('where the engine should be', async (t) => {
  t.same(dockerTarget({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, none), { kind: 'unix', socketPath: '/run/user/1000/docker.sock' })
  t.same(dockerTarget({ DOCKER_HOST: 'tcp://10.1.2.3:2375' }, none), { kind: 'tcp', host: '10.1.2.3', port: 2375, tls: false })
  t.same(dockerTarget({ DOCKER_HOST: 'tcp://docker.example', DOCKER_TLS_VERIFY: '1' }, none), {
    kind: 'tcp',
    host: 'docker.example',
    port: 2376,
    tls: true,
  })
  t.same(dockerTarget({ DOCKER_HOST: 'ssh://me@box' }, none), { kind: 'other', url: 'ssh://me@box' })
  t.equal(dockerTarget({}, none), null, 'nothing set, no socket')
  t.same(
    dockerTarget({}, (p) => p === '/var/run/docker.sock'),
    { kind: 'unix', socketPath: '/var/run/docker.sock' },
  )
})

t.test('an engine answering /_ping', async (t) => {
  const sock = join(t.testdir(), 'docker.sock')
  const server = createHttpServer((req, res) => res.end(req.url === '/_ping' ? 'OK' : '')).listen(sock)
  t.teardown(() => server.close())
  await new Promise((r) => server.once('listening', r))
  t.equal(await pingEngine({ kind: 'unix', socketPath: sock }, 1_000), null)
})

t.test('an engine that accepts but never answers: unavailable at the deadline, socket closed', async (t) => {
  const open = new Set<Socket>()
  const server = createTcpServer((s) => {
    open.add(s)
    s.resume() // read, so the end of the stream is seen
    s.on('close', () => open.delete(s))
  }).listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  t.teardown(() => server.close())
  const port = (server.address() as { port: number }).port
  const t0 = Date.now()
  const a = await dockerAvailable({ timeoutMs: 300, env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } })
  const ms = Date.now() - t0
  t.match(a, { ok: false, reason: /did not answer within 300 ms/ })
  t.ok(ms >= 290 && ms < 1_500, `gave up at the deadline (${ms} ms)`)
  await new Promise((r) => setTimeout(r, 50))
  t.equal(open.size, 0, 'the probe closed its connection: nothing keeps the process alive')
})

t.test('refused, or nothing configured: unavailable at once, with a hint', async (t) => {
  const server = createTcpServer().listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  const refused = await dockerAvailable({ env: { DOCKER_HOST: `tcp://127.0.0.1:${port}` } })
  t.match(refused, { ok: false, reason: /ECONNREFUSED/, hint: /DOCKER_HOST/ })
  const t0 = Date.now()
  const nothing = await dockerAvailable({ env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' } })
  t.match(nothing, { ok: false, reason: /ENOENT/ })
  t.ok(Date.now() - t0 < 1_000)
})
