import { realpathSync } from 'node:fs'
import { dirname, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { settle } from '../../core/abandon.ts'
import {
  assertCutMode,
  BackendError,
  type Availability,
  type Backend,
  type BackendCapability,
  type CutMode,
  type HostPlan,
  type Hosts,
  type LinksOptions,
  type TransportTraits,
} from '../../core/hosts.ts'
import type { Placement } from '../../core/placement.ts'
import { run } from '../../platform/exec.ts'
import { removeNamespaces } from '../bridge/namespaces.ts'
import { NetnsObserver } from '../bridge/observer.ts'
import { createBridgeNamespace } from '../bridge/wiring.ts'
import { KERNEL_LINK_CAPABILITIES, KernelLinks, kernelLinkLacks, type Cutter } from '../kernel-links.ts'
import { abortConnectionsArgs, addElementArgs, deleteElementArgs } from '../nft-rules.ts'
import { dockerAvailable } from './docker-available.ts'
import { dockerLayout, type DockerHostLayout, type DockerLayout } from './docker-specs.ts'
import { findDockerTools, type DockerTools } from './docker-tools.ts'
import { HostContainer } from './host-container.ts'
import { ensureImages, type Images } from './images.ts'
import { removeContainersOfRun } from './reap-containers.ts'
import { loadTestcontainers } from './testcontainers.ts'

/**
 * Every host a container (docs/backends.md, "docker"): one per orchestrator (its nats-server
 * as the main process, its control plane exec'd beside it), one per node group (its workers),
 * one per spare server (the rogue orchestrator). No Docker network: each container is started
 * with network mode `none` and wired onto the run's own bridge namespace with its 127.200.x.y
 * address, as a netns host is, so addresses, the observer and the link cuts are the netns
 * backend's. Process faults go through the engine (container-processes.ts); `resources:` are
 * the containers' cgroup limits. Everything carries the run id: containers by label, the bridge
 * namespace by name, so `netsim reap` finds what a killed run left.
 */
export class DockerBackend implements Backend {
  readonly name = 'docker' as const
  readonly summary = 'a container per host, wired like netns (127.200.x.y), kernel link cuts, engine process faults; needs root and an engine'
  readonly #timeoutMs: number

  constructor(opts: { availabilityTimeoutMs?: number } = {}) {
    this.#timeoutMs = opts.availabilityTimeoutMs ?? 5_000
  }

  /** The netns backend's kernel cuts, and what only containers give: room for a spare server, per-host limits. */
  offers(): readonly BackendCapability[] {
    return [...KERNEL_LINK_CAPABILITIES, 'extra-server', 'resources']
  }

  lacks(capability: BackendCapability): string {
    const link = kernelLinkLacks(capability)
    if (link !== null) return link
    return `it has no ${capability}`
  }

  refuses(transport: TransportTraits): string | null {
    return transport.capabilities.includes('placement')
      ? null
      : `the docker backend places processes in containers, and ${transport.name} hosts are not placed there`
  }

  async available(): Promise<Availability> {
    if (process.platform !== 'linux')
      return { ok: false, reason: `containers wired into network namespaces need Linux (this is ${process.platform})`, hint: 'use --backend process' }
    if (typeof process.getuid === 'function' && process.getuid() !== 0)
      return {
        ok: false,
        reason: "wiring containers into the run's network namespaces needs root",
        hint: 'run as root (sudo), or use --backend process',
      }
    const tools = findDockerTools()
    if (!tools.ok)
      return {
        ok: false,
        reason: `${tools.missing.join(', ')} not found on the PATH or in /usr/sbin, /sbin`,
        hint: `apt-get install -y ${tools.packages.join(' ')}`,
      }
    return dockerAvailable({ timeoutMs: this.#timeoutMs })
  }

  async prepare(plan: HostPlan): Promise<DockerHosts> {
    const layout = dockerLayout(plan)
    if (plan.runDir === undefined) throw new BackendError('E_BACKEND_PLAN', 'a docker run needs its run dir: the containers mount it')
    const servers = plan.orchestrators.length + (plan.spares?.length ?? 0)
    if (servers > 0 && plan.serverBinary === undefined) throw new BackendError('E_BACKEND_PLAN', 'a docker run with servers needs the server binary')
    const lookup = findDockerTools()
    if (!lookup.ok)
      throw new BackendError('E_BACKEND_UNAVAILABLE', `the docker backend needs ${lookup.missing.join(', ')}`, {
        hint: `apt-get install -y ${lookup.packages.join(' ')}`,
      })
    const tools = lookup.tools
    const images = await ensureImages(tools.ldd, {
      ...(servers > 0 && plan.serverBinary !== undefined ? { serverBinary: plan.serverBinary } : {}),
      groups: plan.groups.length > 0,
    })
    const tc = await loadTestcontainers()
    const client = await tc.getContainerRuntimeClient()
    const hosts = new DockerHosts(layout, tools, images, (h, image) => {
      return new HostContainer({
        runId: plan.runId,
        host: h,
        bridgeNetns: layout.bridgeNetns,
        image,
        runDir: plan.runDir as string,
        readOnly: readOnlyMounts(),
        ...(plan.resources?.[h.host] ? { resources: plan.resources[h.host] } : {}),
        tools,
        client,
        tc,
      })
    })
    try {
      await createBridgeNamespace(tools, layout.bridgeNetns)
      await hosts.observe()
      // Every host's network up front, as netns makes its namespaces: a server then starts in
      // one container start, and the cluster's others do not queue behind the first's wiring.
      await eachLimit(layout.hosts, 8, (h) => hosts.network(h.host))
    } catch (e) {
      await settle(hosts.dispose(), 'preparing failed: that error is the one to report; `netsim reap` removes what is left')
      throw e instanceof BackendError
        ? e
        : new BackendError('E_BACKEND', `preparing the docker run's network failed: ${(e as Error).message}`, { cause: e })
    }
    return hosts
  }
}

/** The project (code and node_modules) and the Node runtime, when it lives elsewhere: mounted read-only where they are. */
const readOnlyMounts = (): string[] => {
  const project = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '')
  const runtime = dirname(realpathSync(process.execPath))
  return runtime.startsWith(project + sep) ? [project] : [project, runtime]
}

const T = { timeoutMs: 10_000 }

/** Runs `fn` over `items`, at most `limit` at a time. */
const eachLimit = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> => {
  let next = 0
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

export class DockerHosts implements Hosts, Cutter {
  readonly backend = 'docker' as const
  readonly layout: DockerLayout
  readonly images: Images & { built: string[] }
  readonly #tools: DockerTools
  readonly #byName: Map<string, DockerHostLayout>
  readonly #containers = new Map<string, HostContainer>()
  readonly #make: (h: DockerHostLayout, image: string) => HostContainer
  #observer: NetnsObserver | null = null
  readonly #cuts = new Map<string, { how: CutMode; from: string; to: DockerHostLayout }>()
  #disposed = false

  constructor(
    layout: DockerLayout,
    tools: DockerTools,
    images: Images & { built: string[] },
    make: (h: DockerHostLayout, image: string) => HostContainer,
  ) {
    this.layout = layout
    this.images = images
    this.#tools = tools
    this.#make = make
    this.#byName = new Map(layout.hosts.map((h) => [h.host, h]))
  }

  get runId(): string {
    return this.layout.runId
  }

  #host(name: string): DockerHostLayout {
    const h = this.#byName.get(name)
    if (!h) throw new BackendError('E_BACKEND_PLAN', `no host "${name}" in run ${this.runId} (hosts: ${[...this.#byName.keys()].join(', ')})`)
    return h
  }

  #container(name: string): HostContainer {
    const h = this.#host(name)
    let c = this.#containers.get(name)
    if (c === undefined) {
      const image = h.role === 'group' ? this.images.node : this.images.nats
      if (image === undefined) throw new BackendError('E_BACKEND_PLAN', `no image was built for ${h.role} hosts`)
      c = this.#make(h, image)
      this.#containers.set(name, c)
    }
    return c
  }

  addressOf(host: string): string {
    return this.#host(host).address
  }

  /** Starts the host's network holder and wires it (idempotent). */
  network(host: string): Promise<void> {
    return this.#container(host).network()
  }

  containerOf(host: string): string {
    return this.#host(host).container
  }

  /** The run's observer in the bridge namespace: the harness's HTTP reads go through it. */
  async observe(): Promise<void> {
    this.#observer = await NetnsObserver.start(this.runId, (argv) => [this.#tools.ip, 'netns', 'exec', this.layout.bridgeNetns, ...argv])
  }

  /** The host's address, its processes in its container, its HTTP read through the observer. */
  placement(host: string): Placement {
    const observer = this.#observer
    if (observer === null) throw new BackendError('E_BACKEND', `run ${this.runId}: the observer is not running`)
    const container = this.#container(host)
    return { address: this.addressOf(host), httpGet: observer.get, launch: (argv, opts) => container.launch(argv, opts) }
  }

  /** Link faults as nft cuts in the group's container's namespace, as on netns. */
  links(opts: LinksOptions): KernelLinks {
    return new KernelLinks(this, opts.connected)
  }

  #inNs(host: string, argv: string[]): Promise<unknown> {
    return run(this.#tools.nsenter, ['-t', String(this.#container(host).netPid), '-n', ...argv], T)
  }

  async cut(a: string, b: string, how: CutMode): Promise<void> {
    assertCutMode(how)
    const to = this.#host(b)
    if (a === b) throw new BackendError('E_BACKEND_PLAN', `cannot cut ${a} from itself`)
    const key = `${a}\0${b}`
    const prev = this.#cuts.get(key)
    if (prev?.how === how) return
    // Abort open connections first, while their RST can still leave: both ends see the reset now.
    if (how !== 'blackhole') await this.#inNs(a, [this.#tools.ss, ...abortConnectionsArgs(to.address)])
    await this.#inNs(a, [this.#tools.nft, ...addElementArgs(how, to.address)])
    if (prev) await this.#inNs(a, [this.#tools.nft, ...deleteElementArgs(prev.how, to.address)])
    this.#cuts.set(key, { how, from: a, to })
  }

  async heal(a: string, b: string): Promise<void> {
    const key = `${a}\0${b}`
    const cut = this.#cuts.get(key)
    if (!cut) return
    await this.#inNs(a, [this.#tools.nft, ...deleteElementArgs(cut.how, cut.to.address)])
    this.#cuts.delete(key)
  }

  /** The links cut now: `[a, b, how]`. */
  cuts(): [string, string, CutMode][] {
    return [...this.#cuts.values()].map((c) => [c.from, c.to.host, c.how])
  }

  /** Removes the run's containers (by label: also any this object never saw), the observer and the bridge namespace. */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    this.#cuts.clear()
    for (const c of this.#containers.values()) c.closeChannels()
    const errors: unknown[] = []
    const step = async (f: () => Promise<unknown>) => {
      try {
        await f()
      } catch (e) {
        errors.push(e)
      }
    }
    await step(async () => removeContainersOfRun((await (await loadTestcontainers()).getContainerRuntimeClient()).container.dockerode, this.runId))
    await step(async () => this.#observer?.dispose())
    await step(() => removeNamespaces(this.#tools, [this.layout.bridgeNetns]))
    if (errors.length > 0) throw errors[0]
  }
}
