import type { ContainerRuntimeClient, StartedTestContainer } from 'testcontainers'
import {
  assertCutMode,
  BackendError,
  type Availability,
  type Backend,
  type BackendCapability,
  type CutMode,
  type HostPlan,
  type Hosts,
} from '../../core/hosts.ts'
import { abortConnectionsArgs, addElementArgs, deleteElementArgs } from '../nft-rules.ts'
import type { Placement } from '../../core/placement.ts'
import { KernelLinks } from '../kernel-links.ts'
import { dockerAvailable } from './docker-available.ts'
import { containerNames, networkSpec, type ContainerSpec, type NetworkSpec } from './docker-specs.ts'
import { reapContainers } from './reap-containers.ts'

/**
 * The live half of the docker backend: turns docker-specs.ts's plain specs into a network and
 * containers through testcontainers (which honours DOCKER_HOST, so a remote engine works), and
 * applies faults:
 *
 * - `cut(group, orch, how)`: one link, by the same nftables sets as the netns backend, loaded
 *   inside the group's container (it has NET_ADMIN, and nft + ss from the image);
 * - `disconnect(host)` / `connect(host)`: the container leaves / rejoins the run's network, a
 *   black hole for all its links at once (its address vanishes: peers' packets go nowhere);
 * - `pause(host)` / `unpause(host)`: freeze (cgroup freezer: TCP stays open, nothing answers);
 * - `kill(host, signal)`: a crash (SIGKILL) or a clean stop (SIGTERM).
 *
 * testcontainers is imported lazily: the other backends never pay its ~0.5 s load.
 */
type Docker = ContainerRuntimeClient['container']['dockerode']

export class DockerBackend implements Backend {
  readonly name = 'docker' as const
  readonly summary = 'a container per host; not wired for full runs yet'

  offers(): readonly ('link:blackhole' | 'link:reset' | 'link:refuse')[] {
    return ['link:blackhole', 'link:reset', 'link:refuse']
  }

  lacks(capability: BackendCapability): string {
    return `it has no ${capability}`
  }

  refuses(): string | null {
    return null
  }

  /** Why a full run cannot use it yet (checked after the engine is: "no engine" and "not yet" stay distinct). */
  readonly notForRuns =
    'full runs on the docker backend are not wired yet (workers in containers have no event channel to the harness): use --backend process or --backend netns'
  readonly #timeoutMs: number

  constructor(opts: { availabilityTimeoutMs?: number } = {}) {
    this.#timeoutMs = opts.availabilityTimeoutMs ?? 5_000
  }

  available(): Promise<Availability> {
    return dockerAvailable({ timeoutMs: this.#timeoutMs })
  }

  async prepare(plan: HostPlan): Promise<DockerHosts> {
    const names = containerNames(plan)
    const a = await this.available()
    if (!a.ok) throw new BackendError('E_BACKEND_UNAVAILABLE', a.reason, { hint: a.hint })
    const { getContainerRuntimeClient } = await import('testcontainers')
    const client = await getContainerRuntimeClient()
    const spec = networkSpec(plan.runId)
    try {
      await client.network.create({ Name: spec.name, Driver: spec.driver, Internal: spec.internal, CheckDuplicate: true, Labels: spec.labels })
    } catch (e) {
      throw new BackendError('E_BACKEND', `creating Docker network ${spec.name} failed: ${(e as Error).message}`, { cause: e })
    }
    return new DockerHosts(client, plan.runId, spec, names)
  }
}

export class DockerHosts implements Hosts {
  readonly backend = 'docker' as const
  readonly runId: string
  readonly network: NetworkSpec
  readonly #client: ContainerRuntimeClient
  readonly #names: Map<string, string>
  readonly #started = new Map<string, StartedTestContainer>()
  /** `a\0b` → mode and the peer address the rule holds */
  readonly #cuts = new Map<string, { how: CutMode; ip: string }>()
  #disposed = false

  constructor(client: ContainerRuntimeClient, runId: string, network: NetworkSpec, names: Map<string, string>) {
    this.#client = client
    this.runId = runId
    this.network = network
    this.#names = names
  }

  get #docker(): Docker {
    return this.#client.container.dockerode
  }

  #name(host: string): string {
    const n = this.#names.get(host)
    if (n === undefined) throw new BackendError('E_BACKEND_PLAN', `no host "${host}" in run ${this.runId}`)
    return n
  }

  #container(host: string): StartedTestContainer {
    const c = this.#started.get(host)
    if (!c) throw new BackendError('E_BACKEND', `host "${host}" has no running container (start it first)`)
    return c
  }

  /** The container's name: Docker's DNS resolves it for every container on the run's network. */
  addressOf(host: string): string {
    return this.#name(host)
  }

  /** The container's IP on the run's network now (for rules, which need addresses; it may change across disconnect/connect). */
  async ipOf(host: string): Promise<string> {
    const info = await this.#docker.getContainer(this.#container(host).getId()).inspect()
    const ip = info.NetworkSettings.Networks[this.network.name]?.IPAddress
    if (!ip) throw new BackendError('E_BACKEND', `${this.#name(host)} has no address on ${this.network.name} (disconnected?)`)
    return ip
  }

  /** The host port a container port is published on, and the engine's host (`getHost()`). */
  published(host: string, port: number): { host: string; port: number } {
    const c = this.#container(host)
    return { host: c.getHost(), port: c.getMappedPort(port) }
  }

  placement(host: string): Placement {
    throw new BackendError('E_BACKEND_UNSUPPORTED', `docker hosts are containers started from specs (host "${host}"): use start(spec)`)
  }

  links(): KernelLinks {
    return new KernelLinks(this)
  }

  wrapCommand(host: string, _argv: string[]): string[] {
    throw new BackendError('E_BACKEND_UNSUPPORTED', `docker hosts are containers started from specs (host "${host}"): use start(spec)`)
  }

  async start(spec: ContainerSpec, opts: { startupTimeoutMs?: number } = {}): Promise<StartedTestContainer> {
    if (spec.name !== this.#name(spec.host))
      throw new BackendError('E_BACKEND_PLAN', `spec for ${spec.host} is named ${spec.name}, expected ${this.#name(spec.host)}`)
    const { GenericContainer, Wait } = await import('testcontainers')
    let c = new GenericContainer(spec.image)
      .withName(spec.name)
      .withHostname(spec.name)
      .withNetworkMode(spec.network) // no aliases: with them testcontainers also joins the default bridge
      .withLabels(spec.labels)
      .withEnvironment(spec.env)
      .withCommand(spec.command)
      .withCopyContentToContainer(spec.files.map((f) => ({ content: f.content, target: f.target, mode: f.mode })))
      .withStartupTimeout(opts.startupTimeoutMs ?? 60_000)
    if (spec.workingDir !== undefined) c = c.withWorkingDir(spec.workingDir)
    if (spec.exposedPorts.length > 0) c = c.withExposedPorts(...spec.exposedPorts)
    if (spec.capAdd.length > 0) c = c.withAddedCapabilities(...spec.capAdd)
    if (spec.wait.kind === 'http') c = c.withWaitStrategy(Wait.forHttp(spec.wait.path, spec.wait.port))
    let started: StartedTestContainer
    try {
      started = await c.start()
    } catch (e) {
      throw new BackendError('E_BACKEND', `starting container ${spec.name} (${spec.image}) failed: ${(e as Error).message}`, { cause: e })
    }
    this.#started.set(spec.host, started)
    for (const argv of spec.postStart) await this.#exec(spec.host, argv)
    return started
  }

  async #exec(host: string, argv: string[]): Promise<string> {
    const r = await this.#container(host).exec(argv, { user: 'root' })
    if (r.exitCode !== 0)
      throw new BackendError('E_BACKEND', `\`${argv.join(' ')}\` in ${this.#name(host)} failed (exit ${r.exitCode}): ${r.output.trim()}`)
    return r.output
  }

  async cut(a: string, b: string, how: CutMode): Promise<void> {
    assertCutMode(how)
    const key = `${a}\0${b}`
    const prev = this.#cuts.get(key)
    if (prev?.how === how) return
    const ip = await this.ipOf(b)
    if (how !== 'blackhole') await this.#exec(a, ['ss', ...abortConnectionsArgs(ip)])
    await this.#exec(a, ['nft', ...addElementArgs(how, ip)])
    if (prev) await this.#exec(a, ['nft', ...deleteElementArgs(prev.how, prev.ip)])
    this.#cuts.set(key, { how, ip })
  }

  async heal(a: string, b: string): Promise<void> {
    const key = `${a}\0${b}`
    const cut = this.#cuts.get(key)
    if (cut === undefined) return
    await this.#exec(a, ['nft', ...deleteElementArgs(cut.how, cut.ip)])
    this.#cuts.delete(key)
  }

  async disconnect(host: string): Promise<void> {
    const id = this.#container(host).getId()
    await this.#docker.getNetwork(this.network.name).disconnect({ Container: id, Force: true })
  }

  async connect(host: string): Promise<void> {
    const id = this.#container(host).getId()
    await this.#docker.getNetwork(this.network.name).connect({ Container: id })
  }

  async pause(host: string): Promise<void> {
    await this.#docker.getContainer(this.#container(host).getId()).pause()
  }

  async unpause(host: string): Promise<void> {
    await this.#docker.getContainer(this.#container(host).getId()).unpause()
  }

  async kill(host: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    await this.#docker.getContainer(this.#container(host).getId()).kill({ signal })
  }

  /** Removes every container and the network labelled with the run id (also ones this object never saw). */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    this.#started.clear()
    this.#cuts.clear()
    await reapContainers({ runId: this.runId })
  }
}
