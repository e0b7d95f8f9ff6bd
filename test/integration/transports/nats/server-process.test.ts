import t from 'tap'
import { NatsServer, monitor } from '../../../../sim/transports/nats/server-process.ts'
import { isNetsimError } from '../../../../sim/core/errors.ts'
import { natsServerBin, skipWithoutNats } from '../../nats-available.ts'

const lameDuck = { durationMs: 30_000, graceMs: 1_000 }

t.test('a real nats-server: ephemeral ports, readiness, kill, restart on the same ports', skipWithoutNats(), async (t) => {
  const dir = t.testdir()
  const binary = natsServerBin() as string
  const s = await NatsServer.start({ binary, dir, config: { name: 'o1', token: 'tok', lameDuck } })
  t.ok(s.ports.client > 0 && s.ports.http > 0, 'ports read from the ports file')
  t.equal(s.ports.cluster, undefined, 'no cluster listener without peers')
  const varz = await monitor<{ server_name: string; auth_required?: boolean }>(s, '/varz')
  t.equal(varz.server_name, 'o1')
  t.equal(varz.auth_required, true, 'token authorization is on')
  const exit = await s.kill()
  t.equal(exit.signal, 'SIGKILL')
  t.notOk(s.running)

  const again = await NatsServer.start({ binary, dir, config: { name: 'o1', token: 'tok', lameDuck, ports: s.ports } })
  t.equal(again.ports.client, s.ports.client, 'restarted on the same client port')
  await again.stop()
  t.notOk(again.running)
})

t.test('a server that cannot start says why, with its log tail and a hint', skipWithoutNats(), async (t) => {
  const dir = t.testdir()
  const binary = natsServerBin() as string
  const first = await NatsServer.start({ binary, dir, config: { name: 'a', lameDuck } })
  t.teardown(() => first.kill())
  const err = await NatsServer.start({ binary, dir, config: { name: 'b', lameDuck, ports: { client: first.ports.client, http: 0 } } }).catch(
    (e: unknown) => e,
  )
  t.ok(isNetsimError(err, 'E_NATS_SERVER_START'), 'typed error')
  t.match((err as Error).message, /exited at start/)
  t.match((err as Error).message, /address already in use/i, 'the server log tail is in the message')
  t.match((err as Error).message, /netsim reap/, 'and how to fix it')
})

t.test('a missing binary is E_NATS_SERVER_MISSING', async (t) => {
  const err = await NatsServer.start({ binary: '/nonexistent/nats-server', dir: t.testdir(), config: { name: 'x', lameDuck } }).catch(
    (e: unknown) => e,
  )
  t.ok(isNetsimError(err, 'E_NATS_SERVER_MISSING'), String(err))
})
