import t from 'tap'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { dockerAvailable } from '../../../sim/backends/docker/docker-available.ts'
import { DockerBackend, type DockerHosts } from '../../../sim/backends/docker/docker-backend.ts'
import { containerNames, dockerRunSpecs, LABEL, WORKER_IMAGE } from '../../../sim/backends/docker/docker-specs.ts'
import { reapContainers } from '../../../sim/backends/docker/reap-containers.ts'
import { createRunDir, newRunId, runsBaseDir } from '../../../sim/platform/run-dir.ts'

/**
 * The docker backend against a real engine (local, or remote through DOCKER_HOST): 2
 * orchestrators from the nats image, 1 group from the project's image (built from the repo's
 * Dockerfile, cached by the engine), cuts, pause, disconnect, kill, dispose and reap.
 * Skips, with the reason, when no engine answers within 5 s.
 *
 * The worker's `--spec` mode does not exist yet: the group container runs `sleep` here and
 * the test dials the orchestrators from inside it with `node -e`.
 */
const avail = await dockerAvailable()
const skip = avail.ok ? {} : { skip: `${avail.reason} (${avail.hint})` }
const REPO = fileURLToPath(new URL('../../..', import.meta.url))
const TOKEN = 'docker-test-s3cret'

/** From inside `host`'s container: connect to `target`:4222 and wait for the server's INFO. */
const dial = async (
  hosts: DockerHosts,
  container: { exec: (cmd: string[]) => Promise<{ output: string; exitCode: number }> },
  target: string,
  timeoutMs = 1_500,
) => {
  const script =
    `const s=require('net').connect(4222,process.argv[1]);const t=setTimeout(()=>{console.log('timeout');process.exit(2)},${timeoutMs});` +
    `s.on('data',d=>{if(String(d).startsWith('INFO')){console.log('ok');process.exit(0)}});s.on('error',e=>{console.log(e.code);process.exit(1)})`
  const r = await container.exec(['node', '-e', script, hosts.addressOf(target)])
  return r.output.trim()
}

t.test('docker backend: network, containers from specs, faults, dispose', skip, async (t) => {
  t.setTimeout(600_000) // the first run builds the worker image
  const runId = newRunId()
  createRunDir(runId)
  t.teardown(() => rmSync(join(runsBaseDir(), runId), { recursive: true, force: true }))
  const { GenericContainer, getContainerRuntimeClient } = await import('testcontainers')
  if (process.env.NETSIM_DOCKER_BUILD !== '0') {
    await GenericContainer.fromDockerfile(REPO).build(WORKER_IMAGE, { deleteOnExit: false })
  }

  const plan = { runId, orchestrators: ['orch-0', 'orch-1'], groups: ['edge'] }
  const hosts = await new DockerBackend().prepare(plan)
  t.teardown(() => hosts.dispose())
  const { containers } = dockerRunSpecs({ plan, token: TOKEN, lameDuck: { durationMs: 30_000, graceMs: 1_000 }, nodes: { edge: [] }, concurrency: 1 })
  const [o0, o1, g] = containers
  const [orch0] = await Promise.all([hosts.start(o0!), hosts.start(o1!)])
  // The worker has no --spec mode yet: keep the container alive and dial from it.
  const group = await hosts.start({ ...g!, command: ['sleep', '3600'] })

  const docker = (await getContainerRuntimeClient()).container.dockerode
  const inspect = await docker.getContainer(group.getId()).inspect()
  t.equal(inspect.Config.Labels[LABEL.runId], runId, 'labelled with the run id')
  const orchInspect = await docker.getContainer(orch0!.getId()).inspect()
  t.equal(orchInspect.Name, `/${containerNames(plan).get('orch-0')}`)
  t.notMatch(
    JSON.stringify([orchInspect.Config.Env, orchInspect.Config.Labels, orchInspect.Config.Cmd]),
    TOKEN,
    'the token is not visible to docker inspect',
  )

  const mon = hosts.published('orch-0', 8222)
  const healthz = await fetch(`http://${mon.host}:${mon.port}/healthz`)
  t.equal(healthz.status, 200, 'the harness reaches the monitoring port through the published port')

  t.equal(await dial(hosts, group, 'orch-0'), 'ok', 'the group dials orch-0 by name')
  await hosts.cut('edge', 'orch-0', 'blackhole')
  t.equal(await dial(hosts, group, 'orch-0'), 'timeout', 'blackhole: silent')
  t.equal(await dial(hosts, group, 'orch-1'), 'ok', 'only that link')
  await hosts.cut('edge', 'orch-0', 'down')
  t.equal(await dial(hosts, group, 'orch-0'), 'ECONNREFUSED', 'down: refused')
  await hosts.heal('edge', 'orch-0')
  t.equal(await dial(hosts, group, 'orch-0'), 'ok', 'healed')

  await hosts.pause('orch-0')
  t.equal(await dial(hosts, group, 'orch-0'), 'timeout', 'paused: the kernel still accepts, nobody answers')
  await hosts.unpause('orch-0')
  t.equal(await dial(hosts, group, 'orch-0'), 'ok')

  await hosts.disconnect('edge')
  t.not(await dial(hosts, group, 'orch-0'), 'ok', 'disconnected from the run network')
  await hosts.connect('edge')
  t.equal(await dial(hosts, group, 'orch-0', 5_000), 'ok', 'reconnected')

  await hosts.kill('orch-1')
  t.not(await dial(hosts, group, 'orch-1'), 'ok', 'killed')

  await hosts.dispose()
  const left = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL.runId}=${runId}`] }) })
  t.equal(left.length, 0, 'no container of the run is left')
  const nets = await docker.listNetworks({ filters: JSON.stringify({ label: [`${LABEL.runId}=${runId}`] }) })
  t.equal(nets.length, 0, 'nor its network')
})

t.test('reapContainers removes an orphaned run by label, spares a live one', skip, async (t) => {
  t.setTimeout(300_000)
  const live = newRunId()
  createRunDir(live)
  t.teardown(() => rmSync(join(runsBaseDir(), live), { recursive: true, force: true }))
  const orphan = newRunId().replace(/-[0-9a-f]{6}$/, '-0bad00')
  const { GenericContainer } = await import('testcontainers')
  const start = (runId: string) =>
    new GenericContainer('nats:2.10.24-alpine').withLabels({ [LABEL.runId]: runId, [LABEL.role]: 'orchestrator' }).start()
  const [a, b] = await Promise.all([start(live), start(orphan)])
  t.teardown(async () => {
    await a.stop().catch(() => {})
    await b.stop().catch(() => {})
  })
  const reaped = await reapContainers({ isOrphan: (id) => id === orphan })
  t.same(
    reaped.map((r) => r.runId),
    [orphan],
  )
  t.same(
    (await reapContainers()).map((r) => r.runId).filter((id) => id === live),
    [],
    'the live run is spared by default',
  )
  t.same(
    (await reapContainers({ runId: live })).map((r) => r.runId),
    [live],
  )
})
