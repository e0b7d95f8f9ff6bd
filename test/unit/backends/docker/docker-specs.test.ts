import t from 'tap'
import { constants } from 'node:os'
import { dockerLayout, exitOfStatus, holderSpec, hostContainerSpec, LABEL } from '../../../../sim/backends/docker/docker-specs.ts'
import { macOf } from '../../../../sim/backends/bridge/addresses.ts'
import { isBackendError } from '../../../../sim/core/hosts.ts'

const runId = '20261202-030052-8d58ba'
const tryOr = (f: () => unknown): unknown => {
  try {
    return f()
  } catch (e) {
    return e
  }
}

const plan = { runId, orchestrators: ['orch-0', 'orch-1'], groups: ['edge', 'core'], spares: ['@rogue'] }

t.test('layout: a container per host, named by position; addresses as on netns, spares last', async (t) => {
  const l = dockerLayout(plan)
  t.equal(l.bridgeNetns, `netsim-${runId}-br`, "the netns backend's bridge name: reapNamespaces finds it")
  t.same(
    l.hosts.map((h) => [h.host, h.role, h.container, h.bridgePort, h.address, h.mac]),
    [
      ['orch-0', 'orchestrator', `netsim-${runId}-o0`, 'vo0', '127.200.0.1', '02:00:7f:c8:00:01'],
      ['orch-1', 'orchestrator', `netsim-${runId}-o1`, 'vo1', '127.200.0.2', '02:00:7f:c8:00:02'],
      ['edge', 'group', `netsim-${runId}-g0`, 'vg0', '127.200.0.3', '02:00:7f:c8:00:03'],
      ['core', 'group', `netsim-${runId}-g1`, 'vg1', '127.200.0.4', '02:00:7f:c8:00:04'],
      ['@rogue', 'spare', `netsim-${runId}-s0`, 'vs0', '127.200.0.5', '02:00:7f:c8:00:05'],
    ],
  )
  t.equal(macOf('127.200.1.254'), '02:00:7f:c8:01:fe', 'the MAC follows the address: a restarted container keeps it')
  t.ok(
    isBackendError(
      tryOr(() => dockerLayout({ ...plan, runId: 'x' })),
      'E_BACKEND_PLAN',
    ),
    'a run id of another form',
  )
  t.ok(
    isBackendError(
      tryOr(() => dockerLayout({ ...plan, groups: ['orch-0'] })),
      'E_BACKEND_PLAN',
    ),
    'a name used twice',
  )
})

t.test('a host is a pod: a network holder wired by netsim, the host container in its namespace', async (t) => {
  const host = dockerLayout(plan).hosts[0]!
  t.equal(host.holder, `netsim-${runId}-o0-net`)
  const holder = holderSpec(runId, host, 'netsim-nats:2.9.10-9dbc362a')
  t.equal(holder.networkMode, 'none', "never Docker's bridge: netsim wires it")
  t.same(holder.command, ['/bin/sh', '-c', 'read _'])
  t.equal(holder.openStdin, true, 'the shell blocks on its open stdin for the run')
  t.same(holder.sysctls, {
    'net.ipv4.conf.all.route_localnet': '1',
    'net.ipv4.conf.default.route_localnet': '1',
    'net.ipv6.conf.all.disable_ipv6': '1',
    'net.ipv6.conf.default.disable_ipv6': '1',
  })
  t.same(holder.labels, { [LABEL.runId]: runId, [LABEL.role]: 'orchestrator', [LABEL.host]: 'orch-0', [LABEL.part]: 'network' })

  const runDir = `/tmp/netsim-runs/${runId}`
  const spec = hostContainerSpec({
    runId,
    host,
    image: 'netsim-nats:2.9.10-9dbc362a',
    argv: ['/usr/sbin/nats-server', '-c', `${runDir}/orch-0.conf`],
    env: { GOMAXPROCS: '1' },
    readOnly: ['/work/netsim'],
    readWrite: [runDir],
    resources: { cpus: 0.25, memoryBytes: 256 * 1024 ** 2 },
  })
  t.same(spec.command, ['/usr/sbin/nats-server', '-c', `${runDir}/orch-0.conf`], 'the argv as given: paths are the same in the container')
  t.equal(spec.networkMode, `container:netsim-${runId}-o0-net`)
  t.same(spec.labels, { [LABEL.runId]: runId, [LABEL.role]: 'orchestrator', [LABEL.host]: 'orch-0', [LABEL.part]: 'main' })
  t.same(spec.env, { HOME: '/tmp', GOMAXPROCS: '1' }, "only what the process needs: nothing of the harness's environment")
  t.same(spec.binds, [
    { source: '/work/netsim', target: '/work/netsim', mode: 'ro' },
    { source: runDir, target: runDir, mode: 'rw' },
  ])
  t.same(spec.resources, { cpu: 0.25, memoryGiB: 0.25 })
  const noLimits = hostContainerSpec({ runId, host, image: 'i', argv: ['x'], env: {}, readOnly: [], readWrite: [] })
  t.equal(noLimits.resources, undefined, 'no limits unless asked')
  t.notMatch(JSON.stringify([holder, spec]), /token|secret/i)
})

t.test("a container's exit status: 128 + n is signal n (docker-init reports it so)", async (t) => {
  t.same(exitOfStatus(137, constants.signals), { code: null, signal: 'SIGKILL' })
  t.same(exitOfStatus(143, constants.signals), { code: null, signal: 'SIGTERM' })
  t.same(exitOfStatus(1, constants.signals), { code: 1, signal: null }, 'nats-server after a clean SIGTERM')
  t.same(exitOfStatus(0, constants.signals), { code: 0, signal: null })
})
