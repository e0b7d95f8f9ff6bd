import t from 'tap'
import {
  bindAllInterfaces,
  containerNames,
  dockerRunSpecs,
  groupSpec,
  LABEL,
  NATS_IMAGE,
  networkSpec,
  orchestratorSpec,
  orchestratorUrl,
  PORTS,
  WORKER_IMAGE,
} from '../../../sim/backends/docker/docker-specs.ts'
import type { NodeSpec } from '../../../sim/transports/nats/compute/node-spec.ts'
import { PROFILES } from '../../../sim/model/profiles.ts'

const runId = '20261127-210012-675819'
const TOKEN = 's3cr3t-T0KEN'
const NODE_TOKEN = 'n0de-s3cret'
const lameDuck = { durationMs: 30_000, graceMs: 1_000 }
const node = (id: string, group: string): NodeSpec => ({
  transport: 'nats',
  id,
  group,
  orchestrators: `nats://${NODE_TOKEN}@${orchestratorUrl(`netsim-${runId}-o0`).slice('nats://'.length)}`,
  token: NODE_TOKEN,
  timers: PROFILES['v1.5'].timers,
  heartbeatSubjects: ['heartbeat'],
  serverOrder: 'go',
  seed: 1,
})

const run = () =>
  dockerRunSpecs({
    plan: { runId, orchestrators: ['orch-0', 'orch-1', 'orch-2'], groups: ['edge', 'core'] },
    token: TOKEN,
    lameDuck,
    nodes: { edge: [node('n1', 'edge'), node('n2', 'edge')], core: [node('n3', 'core')] },
    concurrency: 50,
  })

t.test('one labelled network per run', async (t) => {
  t.same(networkSpec(runId), {
    name: `netsim-${runId}`,
    driver: 'bridge',
    internal: false,
    labels: { [LABEL.runId]: runId, [LABEL.role]: 'network' },
  })
  t.throws(() => networkSpec('not-a-run-id'))
})

t.test('container names are per run and index-based, valid for Docker and DNS', async (t) => {
  const names = containerNames({ runId, orchestrators: ['orch-0', 'Orch ß'], groups: ['g/1'] })
  t.same([...names.values()], [`netsim-${runId}-o0`, `netsim-${runId}-o1`, `netsim-${runId}-g0`])
  for (const n of names.values()) {
    t.match(n, /^[a-z0-9][a-z0-9-]{0,62}$/, 'a DNS label, a legal container name')
  }
  t.throws(() => containerNames({ runId, orchestrators: ['a'], groups: ['a'] }), /used twice/)
})

t.test('every container carries the run id, its role and host; all on the run network', async (t) => {
  const { network, containers } = run()
  t.equal(containers.length, 5)
  for (const c of containers) {
    t.equal(c.labels[LABEL.runId], runId, `${c.name}: run id label`)
    t.equal(c.labels[LABEL.host], c.host)
    t.equal(c.network, network.name)
    t.ok(c.name.startsWith(`netsim-${runId}-`))
  }
  t.same(
    containers.map((c) => c.labels[LABEL.role]),
    ['orchestrator', 'orchestrator', 'orchestrator', 'group', 'group'],
  )
})

t.test('no secret in env, labels, command or image: only in 0600 files', async (t) => {
  const { containers } = run()
  for (const c of containers) {
    const visible = JSON.stringify({ ...c, files: c.files.map((f) => f.target) })
    t.notMatch(visible, TOKEN, `${c.name}: no orchestrator token where docker inspect shows it`)
    t.notMatch(visible, NODE_TOKEN, `${c.name}: no node token there either`)
  }
  const orch = containers[0]!
  const conf = orch.files.find((f) => f.target === '/etc/netsim/nats.conf')!
  t.match(conf.content, `authorization { token: "${TOKEN}" }`, 'the token is in the mounted config')
  t.equal(conf.mode, 0o600)
  const group = containers[3]!
  const spec = group.files.find((f) => f.target === '/spec/nodes.json')!
  t.equal(spec.mode, 0o600)
  const parsed = JSON.parse(spec.content) as { nodes: NodeSpec[]; concurrency: number }
  t.same(
    parsed.nodes.map((n) => n.id),
    ['n1', 'n2'],
    'the group file holds its own nodes only',
  )
  t.equal(parsed.concurrency, 50)
  t.equal(parsed.nodes[0]?.token, NODE_TOKEN)
})

t.test('orchestrators: pinned nats image, listening on all interfaces, clustered by container name', async (t) => {
  const { containers } = run()
  const o0 = containers[0]!
  t.equal(o0.image, NATS_IMAGE)
  t.match(NATS_IMAGE, /^nats:2\.(9|10)\.\d+/, 'a pinned 2.9/2.10 tag')
  t.same(o0.command, ['nats-server', '--config', '/etc/netsim/nats.conf'])
  t.same(o0.exposedPorts, [PORTS.client, PORTS.http], 'published for the harness')
  t.same(o0.wait, { kind: 'http', port: 8222, path: '/healthz' })
  const conf = o0.files[0]!.content
  t.match(conf, 'host: "0.0.0.0"')
  t.match(conf, 'port: 4222')
  t.match(conf, 'http: "0.0.0.0:8222"')
  t.match(conf, 'listen: "0.0.0.0:6222"')
  t.notMatch(conf, '127.0.0.1')
  t.match(conf, `"nats-route://netsim-${runId}-o1:6222"`)
  t.match(conf, `"nats-route://netsim-${runId}-o2:6222"`)
  t.notMatch(conf, `nats-route://netsim-${runId}-o0:`, 'not a route to itself')
  t.same(o0.capAdd, [])

  const single = orchestratorSpec({ runId, host: 'solo', name: `netsim-${runId}-o0`, peers: [], lameDuck })
  t.notMatch(single.files[0]!.content, 'cluster', 'no cluster block without peers')
  t.notMatch(single.files[0]!.content, 'authorization', 'no token: no authorization')
})

t.test('groups: the project image running the worker on its spec file, able to cut its own links', async (t) => {
  const g = groupSpec({ runId, host: 'edge', name: `netsim-${runId}-g0`, nodes: [], concurrency: 10 })
  t.equal(g.image, WORKER_IMAGE)
  t.same(g.command, ['node', '--disable-warning=ExperimentalWarning', 'sim/fleet/worker-main.ts', '--spec', '/spec/nodes.json'])
  t.equal(g.workingDir, '/app')
  t.same(g.env, { NETSIM_RUN_ID: runId, NETSIM_GROUP: 'edge' })
  t.same(g.capAdd, ['NET_ADMIN'])
  t.same(g.postStart, [['nft', '-f', '/etc/netsim/cut.nft']])
  t.match(g.files.find((f) => f.target === '/etc/netsim/cut.nft')?.content ?? '', 'table inet netsim')
  t.same(g.exposedPorts, [])
})

t.test('images can be overridden; nodes for an unknown group are refused', async (t) => {
  const r = dockerRunSpecs({
    plan: { runId, orchestrators: ['o'], groups: ['g'] },
    lameDuck,
    nodes: {},
    concurrency: 1,
    natsImage: 'nats:2.9.25-alpine',
    workerImage: 'reg/netsim:1',
  })
  t.same(
    r.containers.map((c) => c.image),
    ['nats:2.9.25-alpine', 'reg/netsim:1'],
  )
  t.throws(
    () => dockerRunSpecs({ plan: { runId, orchestrators: ['o'], groups: ['g'] }, lameDuck, nodes: { nope: [] }, concurrency: 1 }),
    /not a group/,
  )
})

t.test('bindAllInterfaces refuses a config it does not understand', async (t) => {
  t.equal(bindAllInterfaces('host: "127.0.0.1"\nport: 1\n'), 'host: "0.0.0.0"\nport: 1\n')
  t.throws(() => bindAllInterfaces('host: "127.0.0.1"\nmonitor: "127.0.0.1:9"\n'), /still binds 127.0.0.1/)
})
