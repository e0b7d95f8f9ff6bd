import t from 'tap'
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { DockerBackend } from '../../../sim/backends/docker/docker-backend.ts'
import { LABEL } from '../../../sim/backends/docker/docker-specs.ts'
import { reapContainers } from '../../../sim/backends/docker/reap-containers.ts'
import { runtimeClient } from '../../../sim/backends/docker/testcontainers.ts'
import { reapNamespaces } from '../../../sim/backends/netns/reap-namespaces.ts'
import { AgentProcess } from '../../../sim/platform/agent-process.ts'
import { createRunDir, newRunId } from '../../../sim/platform/run-dir.ts'
import { holdRunLock } from '../../../sim/platform/run-lock.ts'
import { NatsServer } from '../../../sim/transports/nats/server-process.ts'
import { containersOfRun, skipWithoutDocker } from '../docker-available.ts'
import { natsServerBin } from '../nats-available.ts'

/**
 * The docker backend against the real engine: 2 orchestrator containers running real
 * nats-servers (started through their placement, as a run does), a group container whose probe
 * (channel-probe.ts) talks to the harness over its unix socket, the three cuts, the engine's
 * process faults (pause, SIGKILL, restart on the same address, SIGTERM), dispose and reap.
 * Needs root, iproute2, nftables, an engine and nats-server; skips with the reason otherwise
 * (fails in CI).
 */
const skip = await skipWithoutDocker()
const PROBE = new URL('./channel-probe.ts', import.meta.url)
const TOKEN = 'docker-test-s3cret'
type Answer = { ok: boolean; ms: number; error?: string }

const ipNetnsList = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })

/** A run's dir and lock, as prepareRun makes them: a concurrent reap sees a live run. */
const liveRun = async (t: { teardown: (fn: () => Promise<void>) => void }) => {
  const runId = newRunId()
  const dir = createRunDir(runId)
  const lock = await holdRunLock(runId)
  t.teardown(async () => {
    await lock.release()
    rmSync(dir, { recursive: true, force: true })
  })
  return { runId, dir }
}

t.test('docker hosts: servers and a probe in containers, cuts, engine faults, a restart, dispose', skip, async (t) => {
  const nats = natsServerBin() as string
  const { runId, dir } = await liveRun(t)
  const t0 = performance.now()
  const hosts = await new DockerBackend().prepare({ runId, orchestrators: ['orch-0', 'orch-1'], groups: ['edge'], runDir: dir, serverBinary: nats })
  t.teardown(() => hosts.dispose())
  t.comment(
    `prepared (images ${hosts.images.built.length ? `built: ${hosts.images.built.join(', ')}` : 'reused'}) in ${Math.round(performance.now() - t0)} ms`,
  )
  // orch-1 holds a token (docker inspect must not show it); the probe speaks to orch-0 without one.
  const start = (o: string) =>
    NatsServer.start({
      binary: nats,
      dir,
      config: { name: o, ...(o === 'orch-1' ? { token: TOKEN } : {}), lameDuck: { durationMs: 30_000, graceMs: 500 } },
      placement: hosts.placement(o),
    })
  const t1 = performance.now()
  let [s0, s1] = await Promise.all([start('orch-0'), start('orch-1')])
  t.comment(`2 server containers up in ${Math.round(performance.now() - t1)} ms`)
  const probe = await AgentProcess.launch(hosts.placement('edge'), PROBE, [runId, 'probe'], () => undefined)
  const ask = async (cmd: object): Promise<Answer> => {
    const answer = probe.waitFor('probe', 10_000)
    probe.send(cmd)
    return (await answer) as unknown as Answer
  }
  const port = (s: NatsServer) => s.ports.client
  const connect = (id: string, s: NatsServer, orch: string, timeoutMs = 1_500) =>
    ask({ op: 'connect', id, host: hosts.addressOf(orch), port: port(s), timeoutMs })
  const ping = (id: string, timeoutMs = 1_500) => ask({ op: 'ping', id, timeoutMs })

  t.test('containers: labelled, a pod per host on no Docker network, no secret for docker inspect to show', async (t) => {
    const docker = (await runtimeClient()).container.dockerode
    const info = await docker.getContainer(hosts.containerOf('orch-1')).inspect()
    t.equal(info.Config.Labels[LABEL.runId], runId)
    const holder = await docker.getContainer(`${hosts.containerOf('orch-1')}-net`).inspect()
    t.equal(info.HostConfig.NetworkMode, `container:${holder.Id}`, "a pod: the holder's network")
    t.equal(holder.HostConfig.NetworkMode, 'none', "never Docker's bridge: netsim wires the holder")
    t.notMatch(JSON.stringify([info.Config.Env, info.Config.Labels, info.Config.Cmd]), TOKEN)
    t.equal(s0.clientHostPort, `127.200.0.1:${port(s0)}`, 'the run network address, as on netns')
    const names = ['edge', 'orch-0', 'orch-1'].flatMap((h) => [hosts.containerOf(h), `${hosts.containerOf(h)}-net`])
    t.same((await containersOfRun(runId)).sort(), names.sort(), 'a host container and its network holder per host')
  })

  t.test('the group reaches both servers; cuts as on netns', async (t) => {
    t.match(await connect('a', s0, 'orch-0'), { ok: true })
    t.match(await connect('b', s1, 'orch-1'), { ok: true })
    await hosts.cut('edge', 'orch-0', 'blackhole')
    t.match(await ping('a', 800), { ok: false, error: 'timeout' }, 'blackhole: silent')
    t.match(await connect('b', s1, 'orch-1'), { ok: true }, 'only that link')
    await hosts.heal('edge', 'orch-0')
    t.match(await ping('a', 5_000), { ok: true }, 'healed: the held connection resumes')
    await hosts.cut('edge', 'orch-0', 'down')
    t.match(await connect('c', s0, 'orch-0', 1_000), { ok: false, error: 'ECONNREFUSED' }, 'down: refused')
    await hosts.heal('edge', 'orch-0')
    t.match(await connect('a', s0, 'orch-0'), { ok: true })
  })

  t.test('freeze is the cgroup freezer; kill, restart on the same address, clean stop', async (t) => {
    const docker = (await runtimeClient()).container.dockerode
    await s0.signal('SIGSTOP')
    t.equal((await docker.getContainer(hosts.containerOf('orch-0')).inspect()).State.Paused, true, 'paused')
    t.match(await ping('a', 800), { ok: false, error: 'timeout' }, 'frozen: nobody answers')
    await s0.signal('SIGCONT')
    t.match(await ping('a', 5_000), { ok: true }, 'thawed')
    const oldPid = s0.pid
    const exit = await s0.kill()
    t.equal(exit.signal, 'SIGKILL', 'the container died of SIGKILL')
    const dead = await ping('a', 1_500)
    t.equal(dead.ok, false, `the client saw it: ${dead.error}`)
    t.match(await connect('x', s0, 'orch-0', 1_000), { ok: false, error: 'ECONNREFUSED' }, 'a crashed process on a live host: refused at once')
    const t2 = performance.now()
    s0 = await start('orch-0')
    t.comment(`restarted (docker start, ready) in ${Math.round(performance.now() - t2)} ms`)
    t.not(s0.pid, oldPid, 'a new process')
    t.match(await connect('a', s0, 'orch-0', 3_000), { ok: true }, 'reachable again at the same address (its network outlived it)')
    const stopped = await s1.stop()
    t.not(stopped.signal, 'SIGKILL', `SIGTERM: a clean shutdown, not the kill after the grace period (${JSON.stringify(stopped)})`)
  })

  t.test('dispose removes the containers and the bridge namespace', async (t) => {
    await probe.kill()
    await hosts.dispose()
    t.same(await containersOfRun(runId), [])
    t.notMatch(ipNetnsList(), new RegExp(runId))
    await hosts.dispose() // twice is fine
  })
})

t.test('reapContainers: removes an orphaned run by label, spares a live one', skip, async (t) => {
  const nats = natsServerBin() as string
  const live = await liveRun(t)
  const orphanId = newRunId().replace(/-[0-9a-f]{6}$/, '-0bad00')
  const orphanDir = createRunDir(orphanId) // no lock: its owner is gone once this dir goes
  t.teardown(() => rmSync(orphanDir, { recursive: true, force: true }))
  const backend = new DockerBackend()
  const started = await Promise.all(
    [live, { runId: orphanId, dir: orphanDir }].map(async (r) => {
      const hosts = await backend.prepare({ runId: r.runId, orchestrators: ['o'], groups: [], runDir: r.dir, serverBinary: nats })
      t.teardown(() => hosts.dispose())
      await NatsServer.start({
        binary: nats,
        dir: r.dir,
        config: { name: 'o', lameDuck: { durationMs: 30_000, graceMs: 0 } },
        placement: hosts.placement('o'),
      })
      return hosts
    }),
  )
  t.equal(started.length, 2)
  rmSync(orphanDir, { recursive: true, force: true })
  // Tap runs test files in parallel: another file's killed runs may be reaped here too, and
  // another file's `netsim reap` may reap the orphan first. The end state is the test.
  const reaped = (await reapContainers()).map((r) => r.runId)
  if (!reaped.includes(orphanId)) t.comment(`${orphanId} was reaped by a concurrent reap first`)
  t.notOk(reaped.includes(live.runId), 'the live run is not reaped')
  t.same(await containersOfRun(orphanId), [], 'the run whose lock is gone has no container left')
  t.equal((await containersOfRun(live.runId)).length, 2, 'the live run keeps its containers')
  const namespaces = (await reapNamespaces()).map((r) => r.runId)
  t.notOk(namespaces.includes(live.runId))
  t.notMatch(ipNetnsList(), new RegExp(orphanId), "its bridge namespace went the netns backend's way")
  t.match(ipNetnsList(), new RegExp(live.runId), "the live run's is still there")
})
