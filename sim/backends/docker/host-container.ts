import { mkdirSync, readFileSync } from 'node:fs'
import { constants } from 'node:os'
import { join } from 'node:path'
import type { ContainerRuntimeClient } from 'testcontainers'
import { settle } from '../../core/abandon.ts'
import { BackendError, type HostResources } from '../../core/hosts.ts'
import type { HostProcess, LaunchOptions, ProcessExit } from '../../core/placement.ts'
import { run } from '../../platform/exec.ts'
import { SocketChannel } from '../../platform/socket-channel.ts'
import { BRIDGE, HOST_IF } from '../bridge/addresses.ts'
import { addressCommands, batch } from '../bridge/wiring.ts'
import { RULESET } from '../nft-rules.ts'
import { ContainerMain, execIn, ExecProcess, outputSink } from './container-processes.ts'
import { exitOfStatus, holderSpec, hostContainerSpec, type ContainerSpec, type DockerHostLayout } from './docker-specs.ts'
import type { DockerTools } from './docker-tools.ts'
import type { Dockerode, Testcontainers } from './testcontainers.ts'

/**
 * One host of a docker run, a pod (docker-specs.ts): the holder of its network namespace,
 * started and wired onto the run's bridge once, before any of its processes; then its own
 * container, started for the first process launched on the host (its main process) and again
 * for the next one after that stopped (a killed server comes back on the same address, the
 * same network), and processes exec'd into it while it runs. Created through testcontainers
 * (labels, binds, limits, never a pull); signals, pause, start and exec through its dockerode.
 */
export interface HostContainerDeps {
  runId: string
  host: DockerHostLayout
  bridgeNetns: string
  image: string
  runDir: string
  /** mounted read-only at their own paths: the project and the Node runtime */
  readOnly: string[]
  resources?: HostResources
  tools: DockerTools
  client: ContainerRuntimeClient
  tc: Testcontainers
}

const T = { timeoutMs: 10_000 }
/** Long enough for a container's Node to load the project (0.4 s measured) on a busy machine. */
const CONNECT_TIMEOUT_MS = 30_000

type Sink = ReturnType<typeof outputSink>

export class HostContainer {
  readonly #d: HostContainerDeps
  /** the holder's pid: a process in the host's network namespace, for nsenter (wiring, cuts) */
  #network: Promise<number> | null = null
  #netPid = 0
  #id: string | null = null
  /** what the container was created to run: a different command means a new container */
  #created = ''
  #main: ContainerMain | null = null
  #execs = 0
  #outputEnded: Promise<void> = Promise.resolve()
  readonly #channels = new Set<SocketChannel>()

  constructor(deps: HostContainerDeps) {
    this.#d = deps
  }

  get #dir(): string {
    return join(this.#d.runDir, 'docker')
  }

  get #docker(): Dockerode {
    return this.#d.client.container.dockerode
  }

  get running(): boolean {
    return this.#main?.running ?? false
  }

  /** A pid inside the host's network namespace, for nsenter (cuts). */
  get netPid(): number {
    if (this.#netPid === 0) throw new BackendError('E_BACKEND', `${this.#d.host.holder} is not running`)
    return this.#netPid
  }

  /** The host's network: its holder started and wired (once; prepare does it for every host up front). */
  async network(): Promise<void> {
    this.#network ??= this.#startNetwork()
    await this.#network
  }

  /** The first process starts the host's container; later ones, while it runs, are exec'd into it. */
  async launch(argv: string[], opts: LaunchOptions = {}): Promise<HostProcess> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 })
    await this.network()
    return this.running ? this.#exec(argv, opts) : this.#start(argv, opts)
  }

  /** The holder, started and wired: veth (its MAC fixed by the address), address, narrowed lo, cut rules. */
  async #startNetwork(): Promise<number> {
    const { host, image, runId } = this.#d
    try {
      const id = await this.#create(holderSpec(runId, host, image), null)
      const pid = (await this.#docker.getContainer(id).inspect()).State.Pid
      await this.#wire(pid)
      this.#netPid = pid
      return pid
    } catch (e) {
      throw e instanceof BackendError ? e : new BackendError('E_BACKEND', `starting ${host.holder} failed: ${(e as Error).message}`, { cause: e })
    }
  }

  async #channel(opts: LaunchOptions, name: string): Promise<SocketChannel | null> {
    if (!opts.channel) return null
    const ch = await SocketChannel.listen(join(this.#dir, `${this.#d.host.short}-${name}.sock`))
    this.#channels.add(ch)
    void ch.closed.then(() => this.#channels.delete(ch))
    return ch
  }

  async #start(argv: string[], opts: LaunchOptions): Promise<HostProcess> {
    const { host } = this.#d
    // The same socket path on every start: a restart runs the same command, so the same container.
    const channel = await this.#channel(opts, 'main')
    const spec = hostContainerSpec({
      runId: this.#d.runId,
      host,
      image: this.#d.image,
      argv,
      env: { ...opts.env, ...(channel ? { NETSIM_CHANNEL: channel.path } : {}) },
      readOnly: this.#d.readOnly,
      readWrite: [this.#d.runDir],
      ...(this.#d.resources ? { resources: this.#d.resources } : {}),
    })
    const sink = outputSink(opts.logFile)
    try {
      const created = JSON.stringify([spec.command, spec.env])
      if (this.#id !== null && created !== this.#created) {
        await this.#docker.getContainer(this.#id).remove({ force: true })
        this.#id = null
      }
      if (this.#id === null) {
        this.#id = await this.#create(spec, sink)
        this.#created = created
      } else {
        await this.#attachOutput(this.#id, sink)
        await this.#docker.getContainer(this.#id).start()
      }
      const container = this.#docker.getContainer(this.#id)
      const exited = this.#waitExit(container)
      const pid = (await container.inspect()).State.Pid
      // docker-init is the container's pid 1; the process itself is its only child
      const main = new ContainerMain(container, childOf(pid) ?? pid, exited, channel)
      this.#main = main
      if (channel) await this.#connected(channel, exited)
      return main
    } catch (e) {
      channel?.close()
      if (this.#id !== null) await settle(this.#docker.getContainer(this.#id).kill(), 'a container that failed to start is removed with the run')
      throw e instanceof BackendError ? e : new BackendError('E_BACKEND', `starting ${host.container} failed: ${(e as Error).message}`, { cause: e })
    }
  }

  async #exec(argv: string[], opts: LaunchOptions): Promise<HostProcess> {
    const channel = await this.#channel(opts, `x${this.#execs++}`)
    const container = this.#docker.getContainer(this.#id as string)
    try {
      const env = { ...opts.env, ...(channel ? { NETSIM_CHANNEL: channel.path } : {}) }
      const { pid, exited } = await execIn(this.#docker, container, argv, env, outputSink(opts.logFile))
      if (channel) await this.#connected(channel, exited)
      return new ExecProcess(pid, exited, channel)
    } catch (e) {
      channel?.close()
      throw e instanceof BackendError
        ? e
        : new BackendError('E_BACKEND', `starting \`${argv.join(' ')}\` in ${this.#d.host.container} failed: ${(e as Error).message}`, { cause: e })
    }
  }

  /** Created and started through testcontainers; its output (if wanted) attached before the start, so no line is lost. */
  async #create(spec: ContainerSpec, sink: Sink | null): Promise<string> {
    const { GenericContainer, PullPolicy } = this.#d.tc
    const attach = sink === null ? null : (id: string) => this.#attachOutput(id, sink)
    // testcontainers has no builder calls for these: its protected create options take them.
    class NetsimContainer extends GenericContainer {
      configure(s: ContainerSpec): this {
        if (s.sysctls) this.hostConfig.Sysctls = s.sysctls
        if (s.openStdin) this.createOpts.OpenStdin = true
        this.hostConfig.Init = true // docker-init: signals forwarded, zombies of exec'd processes reaped
        return this
      }
      protected override async containerCreated(id: string): Promise<void> {
        await attach?.(id)
      }
    }
    let c = new NetsimContainer(spec.image)
      .configure(spec)
      .withName(spec.name)
      .withLabels(spec.labels)
      .withNetworkMode(spec.networkMode)
      .withCommand(spec.command)
      .withEnvironment(spec.env)
      .withBindMounts(spec.binds)
      // a missing image is an error at once, never a pull: no registry is reachable
      .withPullPolicy(PullPolicy.neverPull())
    const r = spec.resources
    if (r) c = c.withResourcesQuota({ ...(r.cpu === undefined ? {} : { cpu: r.cpu }), ...(r.memoryGiB === undefined ? {} : { memory: r.memoryGiB }) })
    const started = await c.start()
    return started.getId()
  }

  /** The container's output into `sink` from its next start; `#outputEnded` resolves when that ends. */
  async #attachOutput(id: string, sink: Sink): Promise<void> {
    const stream = await this.#docker.getContainer(id).attach({ stream: true, stdout: true, stderr: true })
    this.#docker.modem.demuxStream(stream, sink.stream, sink.stream)
    this.#outputEnded = new Promise((resolve) => {
      const done = () => (sink.end(), resolve())
      stream.on('end', done)
      stream.on('close', done)
      stream.on('error', done)
    })
  }

  /** The main process's exit: the container's, once its output is written (or a second has passed). */
  #waitExit(container: ReturnType<Dockerode['getContainer']>): Promise<ProcessExit> {
    const output = this.#outputEnded
    return container
      .wait({ condition: 'not-running' })
      .then(async (r: { StatusCode: number }) => {
        await Promise.race([output, new Promise((resolve) => setTimeout(resolve, 1_000).unref())])
        return exitOfStatus(r.StatusCode, constants.signals)
      })
      .catch((e: Error): ProcessExit => ({ code: null, signal: 'SIGKILL', spawnError: e as NodeJS.ErrnoException }))
  }

  /** Its veth (fixed MAC), address, narrowed lo and cut rules, entered by pid: its namespace has no name to leak. */
  async #wire(pid: number): Promise<void> {
    const { ip, nsenter, nft } = this.#d.tools
    const { bridgeNetns, host } = this.#d
    await run(ip, ['-n', bridgeNetns, '-batch', '-'], {
      ...T,
      input: batch([
        `link add ${host.bridgePort} type veth peer name ${HOST_IF} address ${host.mac} netns ${pid}`,
        `link set ${host.bridgePort} master ${BRIDGE} up`,
      ]),
    })
    const inNs = ['-t', String(pid), '-n']
    await run(nsenter, [...inNs, ip, '-batch', '-'], { ...T, input: batch(addressCommands(HOST_IF, host.address)) })
    await run(nsenter, [...inNs, nft, '-f', '-'], { ...T, input: RULESET })
  }

  async #connected(channel: SocketChannel, exited: Promise<ProcessExit>): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        channel.connected,
        exited.then(async (e) => {
          throw new BackendError('E_BACKEND', `${this.#d.host.container}: the process exited (${describe(e)}) before it connected to the harness`)
        }),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new BackendError('E_BACKEND', `${this.#d.host.container}: no connection from the process within ${CONNECT_TIMEOUT_MS} ms`)),
            CONNECT_TIMEOUT_MS,
          )
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  /** Closes its channels (the containers themselves are removed by label, with the run's others). */
  closeChannels(): void {
    for (const ch of this.#channels) ch.close()
  }
}

const describe = (e: ProcessExit): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`)

/** The main process under docker-init: its only child. */
const childOf = (pid: number): number | null => {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    return first === undefined || first === '' ? null : Number(first)
  } catch {
    return null
  }
}
