import { closeSync, constants as fsConstants, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs'
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
import { exitOfStatus, hostContainerSpec, type ContainerSpec, type DockerHostLayout } from './docker-specs.ts'
import type { DockerTools } from './docker-tools.ts'
import type { Dockerode, Testcontainers } from './testcontainers.ts'

/**
 * One host of a docker run: its container, started for the first process launched on the host
 * (that process is its main process, behind the start gate), wired onto the run's bridge, and
 * the processes exec'd into it afterwards. A host whose container stopped (a killed server)
 * starts again the same way: `docker start`, a new network namespace wired with the same
 * address and MAC, the gate opened. Created through testcontainers (labels, binds, limits,
 * never a pull); the rest through its dockerode.
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

export class HostContainer {
  readonly #d: HostContainerDeps
  #id: string | null = null
  /** what the container was created to run: a different command means a new container */
  #created = ''
  #main: ContainerMain | null = null
  /** tini's pid while the container runs: its network namespace is the host's */
  #pid = 0
  #execs = 0
  #outputEnded: Promise<void> = Promise.resolve()
  readonly #channels = new Set<SocketChannel>()

  constructor(deps: HostContainerDeps) {
    this.#d = deps
  }

  get #dir(): string {
    return join(this.#d.runDir, 'docker')
  }

  get #docker() {
    return this.#d.client.container.dockerode
  }

  get running(): boolean {
    return this.#main?.running ?? false
  }

  /** A pid inside the container's network namespace, for nsenter (cuts). */
  get netPid(): number {
    if (!this.running) throw new BackendError('E_BACKEND', `${this.#d.host.container} is not running`)
    return this.#pid
  }

  /** The first process starts the container; later ones, while it runs, are exec'd into it. */
  async launch(argv: string[], opts: LaunchOptions = {}): Promise<HostProcess> {
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 })
    return this.running ? this.#exec(argv, opts) : this.#start(argv, opts)
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
    const gate = join(this.#dir, `${host.short}.gate`)
    if (!existsSync(gate)) await run(this.#d.tools.mkfifo, ['-m', '600', gate], T)
    // The same socket path on every start: a restart runs the same command, so the same container.
    const channel = await this.#channel(opts, 'main')
    const spec = hostContainerSpec({
      runId: this.#d.runId,
      host,
      image: this.#d.image,
      argv,
      gate,
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
        const c = this.#docker.getContainer(this.#id)
        await this.#attachOutput(this.#id, sink)
        await c.start()
      }
      const container = this.#docker.getContainer(this.#id)
      const exited = this.#waitExit(container)
      this.#pid = (await container.inspect()).State.Pid
      if (this.#pid === 0) throw new BackendError('E_BACKEND', `${host.container} stopped as it started: ${await exitText(exited)}`)
      await this.#wire(this.#pid)
      await openGate(gate, exited)
      const main = new ContainerMain(container, childOf(this.#pid) ?? this.#pid, exited, channel)
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

  /** Created and started through testcontainers: its output attached before the start, so no line is lost. */
  async #create(spec: ContainerSpec, sink: ReturnType<typeof outputSink>): Promise<string> {
    const { GenericContainer, PullPolicy } = this.#d.tc
    const attach = (id: string) => this.#attachOutput(id, sink)
    // testcontainers has no builder calls for these: its protected create options take them.
    class NetsimContainer extends GenericContainer {
      configure(s: ContainerSpec): this {
        this.hostConfig.Sysctls = s.sysctls
        this.hostConfig.Init = true // docker-init: signals forwarded, zombies of exec'd processes reaped
        return this
      }
      protected override async containerCreated(id: string): Promise<void> {
        await attach(id)
      }
    }
    let c = new NetsimContainer(spec.image)
      .configure(spec)
      .withName(spec.name)
      .withLabels(spec.labels)
      .withNetworkMode('none')
      .withCommand(spec.command)
      .withEnvironment(spec.env)
      .withBindMounts(spec.binds)
      // a missing image is an error at once, never a pull: no registry is reachable
      .withPullPolicy(PullPolicy.neverPull())
    if (spec.resources)
      c = c.withResourcesQuota(
        spec.resources.memoryGiB === undefined ? { cpu: spec.resources.cpu } : { ...spec.resources, memory: spec.resources.memoryGiB },
      )
    const started = await c.start()
    return started.getId()
  }

  /** The container's output into `sink` from its next start; resolves the returned promise when it ends. */
  async #attachOutput(id: string, sink: ReturnType<typeof outputSink>): Promise<void> {
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
    // A port of the container's previous namespace may still be on the bridge: its teardown is asynchronous.
    await settle(run(ip, ['-n', bridgeNetns, 'link', 'del', host.bridgePort], T), 'usually there is none to delete')
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

  /** Closes its channels (the container itself is removed by label, with the run's others). */
  closeChannels(): void {
    for (const ch of this.#channels) ch.close()
  }
}

const describe = (e: ProcessExit): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`)

const exitText = async (exited: Promise<ProcessExit>): Promise<string> => describe(await exited)

/** The main process under docker-init: its only child. */
const childOf = (pid: number): number | null => {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    return first === undefined || first === '' ? null : Number(first)
  } catch {
    return null
  }
}

/**
 * Lets the main process go: writes a line into the gate FIFO, which its shell is blocked
 * reading. Opened without blocking, so until the shell has opened its end the open fails
 * (ENXIO) and is tried again; a container that stopped meanwhile ends the wait.
 */
const openGate = async (fifo: string, exited: Promise<ProcessExit>, timeoutMs = 15_000): Promise<void> => {
  let gone: ProcessExit | null = null
  void exited.then((e) => (gone = e))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const fd = openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK)
      try {
        writeSync(fd, 'go\n')
      } finally {
        closeSync(fd)
      }
      return
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e
    }
    if (gone !== null) throw new BackendError('E_BACKEND', `the container stopped at its start gate (${describe(gone)})`)
    if (Date.now() > deadline) throw new BackendError('E_BACKEND', `the container's start gate was not opened within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}
