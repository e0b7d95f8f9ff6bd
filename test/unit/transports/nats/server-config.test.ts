import t from 'tap'
import { renderServerConfig, type ServerConfigSpec } from '../../../../sim/transports/nats/server-config.ts'

const base: ServerConfigSpec = { name: 'orch-0', portsDir: '/tmp/p', lameDuck: { durationMs: 30_000, graceMs: 1000 } }

t.test('minimal config: ports -1, no authorization, no cluster', async (t) => {
  t.equal(
    renderServerConfig(base),
    [
      'server_name: "orch-0"',
      'host: "127.0.0.1"',
      'port: -1',
      'http: "127.0.0.1:-1"',
      'ports_file_dir: "/tmp/p"',
      'lame_duck_duration: "30s"',
      'lame_duck_grace_period: "1000ms"',
      '',
    ].join('\n'),
  )
})

t.test('fixed ports when given', async (t) => {
  const text = renderServerConfig({ ...base, ports: { client: 4222, http: 8222, cluster: 6222 }, cluster: { name: 'c', routes: [] } })
  t.match(text, /^port: 4222$/m)
  t.match(text, /^http: "127\.0\.0\.1:8222"$/m)
  t.match(text, /^ {2}listen: "127\.0\.0\.1:6222"$/m)
  const noCluster = renderServerConfig({ ...base, ports: { client: 4222, http: 8222 }, cluster: { name: 'c', routes: [] } })
  t.match(noCluster, /^ {2}listen: "127\.0\.0\.1:-1"$/m, 'cluster port -1 when only client/http are fixed')
})

t.test('token: one quoted string whatever it holds', async (t) => {
  const tokens = ['plain', 'with "quotes"', 'back\\slash\\', 'brace } { and ]', 'new\nline', "sin'gle $VAR #hash"]
  for (const token of tokens) {
    const text = renderServerConfig({ ...base, token })
    const lines = text.split('\n').filter((l) => l.startsWith('authorization'))
    t.equal(lines.length, 1, `${JSON.stringify(token)}: one authorization line`)
    const m = /^authorization \{ token: (".*") \}$/.exec(lines[0] ?? '')
    t.ok(m, `${JSON.stringify(token)}: authorization { token: "..." }`)
    t.equal(JSON.parse(m?.[1] ?? 'null'), token, `${JSON.stringify(token)}: round-trips`)
  }
  t.match(renderServerConfig({ ...base, token: '' }), /^authorization \{ token: "" \}$/m, 'an empty token is still a token')
})

t.test('no authorization block without a token', async (t) => {
  t.notMatch(renderServerConfig(base), /authorization/)
  t.notMatch(renderServerConfig({ ...base, cluster: { name: 'c', routes: ['127.0.0.1:6222'] } }), /authorization/)
})

t.test('cluster with routes, no route auth', async (t) => {
  const text = renderServerConfig({ ...base, token: 'tok', cluster: { name: 'netsim', routes: ['127.0.0.1:6001', '127.0.0.1:6002'] } })
  t.equal(
    text.slice(text.indexOf('cluster {')),
    [
      'cluster {',
      '  name: "netsim"',
      '  listen: "127.0.0.1:-1"',
      '  routes: [',
      '    "nats-route://127.0.0.1:6001"',
      '    "nats-route://127.0.0.1:6002"',
      '  ]',
      '}',
      '',
    ].join('\n'),
  )
  t.notMatch(text.slice(text.indexOf('cluster {')), /authorization/, 'routes stay unauthenticated (Bacalhau default)')
  t.notMatch(text, /nats-route:\/\/tok@/, 'the client token is not used on routes')
})

t.test('cluster with route auth', async (t) => {
  const text = renderServerConfig({ ...base, cluster: { name: 'netsim', routes: ['127.0.0.1:6001'], auth: { user: 'ru', password: 'p@ss/w:rd' } } })
  t.equal(
    text.slice(text.indexOf('cluster {')),
    [
      'cluster {',
      '  name: "netsim"',
      '  listen: "127.0.0.1:-1"',
      '  authorization { user: "ru", password: "p@ss/w:rd" }',
      '  routes: [',
      '    "nats-route://ru:p%40ss%2Fw%3Ard@127.0.0.1:6001"',
      '  ]',
      '}',
      '',
    ].join('\n'),
  )
})

t.test('cluster without routes: listener only', async (t) => {
  const text = renderServerConfig({ ...base, cluster: { name: 'solo', routes: [] } })
  t.match(text, /cluster \{\n {2}name: "solo"\n {2}listen: "127\.0\.0\.1:-1"\n\}\n$/)
  t.notMatch(text, /routes/)
})

t.test('lame duck clamped to >= 30 s, grace in ms', async (t) => {
  const ld = (durationMs: number, graceMs = 0) => renderServerConfig({ ...base, lameDuck: { durationMs, graceMs } })
  t.match(ld(0), /^lame_duck_duration: "30s"$/m)
  t.match(ld(3000), /^lame_duck_duration: "30s"$/m, 'scaled 3 s is raised to 30 s')
  t.match(ld(29_999), /^lame_duck_duration: "30s"$/m)
  t.match(ld(30_001), /^lame_duck_duration: "31s"$/m, 'rounded up to whole seconds')
  t.match(ld(45_000), /^lame_duck_duration: "45s"$/m)
  t.match(ld(30_000, 100.4), /^lame_duck_grace_period: "100ms"$/m)
  t.match(ld(30_000, -5), /^lame_duck_grace_period: "0ms"$/m)
})

t.test('jetstream store dir', async (t) => {
  t.match(renderServerConfig({ ...base, jetstream: { storeDir: '/tmp/js "x"' } }), /^jetstream \{ store_dir: "\/tmp\/js \\"x\\"" \}$/m)
  t.notMatch(renderServerConfig(base), /jetstream/)
})

t.test('names and paths are quoted', async (t) => {
  const text = renderServerConfig({ ...base, name: 'a "b"', portsDir: '/tmp/with space' })
  t.match(text, /^server_name: "a \\"b\\""$/m)
  t.match(text, /^ports_file_dir: "\/tmp\/with space"$/m)
})

t.test('a host address (netns backend): every listener binds it', async (t) => {
  const text = renderServerConfig({ ...base, host: '127.200.0.2', cluster: { name: 'c', routes: ['127.200.0.1:6222'] } })
  t.match(text, /^host: "127\.200\.0\.2"$/m)
  t.match(text, /^http: "127\.200\.0\.2:-1"$/m)
  t.match(text, /^ {2}listen: "127\.200\.0\.2:-1"$/m)
  t.match(text, /"nats-route:\/\/127\.200\.0\.1:6222"/)
  t.notMatch(text, /127\.0\.0\.1/)
})
