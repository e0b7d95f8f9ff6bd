import { availableParallelism } from 'node:os'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isNetsimError, NetsimError } from '../../core/errors.ts'
import { Wait, waitFor } from '../../core/wait.ts'
import { abandon } from '../../core/abandon.ts'
import { renderServerConfig, type ServerConfigSpec } from './server-config.ts'
import type { HostProcess, Placement, ProcessExit } from '../../core/placement.ts'
import { LOCAL_PLACEMENT } from '../../platform/local-launch.ts'

/**
 * One real nats-server process. Started the way nats.js's own test launcher does it: ports
 * `-1` plus `ports_file_dir`, and readiness is "ports file written and /healthz answers",
 * raced against "the process exited early" (whose log tail goes into the error).
 *
 * Faults map to signals: SIGKILL crash, SIGTERM clean stop, SIGSTOP/SIGCONT freeze,
 * SIGUSR2 lame duck.
 */
export interface ServerPorts {
  client: number
  http: number
  cluster?: number
}

export interface StartServerOptions {
  binary: string
  /** the run's private directory: config, ports file and log go here */
  dir: string
  config: Omit<ServerConfigSpec, 'portsDir' | 'host'>
  readyTimeoutMs?: number
  /** where it runs (default: a plain process on 127.0.0.1); its address is what it binds */
  placement?: Placement
  /** the Go runtime's GOMAXPROCS for this server (see goMaxProcsFor); a GOMAXPROCS in the environment wins */
  goMaxProcs?: number
}

/**
 * Threads each of `servers` nats-servers sharing this machine should run Go code on: the cores
 * divided among them, at least one. The Go runtime's default (every core, for every server)
 * oversubscribes a small machine: with three servers on two cores, idle Go threads spinning for
 * work cost the servers about a fifth of their CPU, measured as a 10,000-node start 13 s instead
 * of 16 s (docs/performance.md). Orchestrators on separate machines would each have their own.
 */
export const goMaxProcsFor = (servers: number, cpus = availableParallelism()): number => Math.max(1, Math.floor(cpus / Math.max(1, servers)))

export type ServerExit = ProcessExit

const portOf = (url: string | undefined): number | undefined => {
  if (url === undefined) return undefined
  const m = /:(\d+)\/?$/.exec(url)
  return m ? Number(m[1]) : undefined
}

export class NatsServer {
  readonly name: string
  readonly ports: ServerPorts
  readonly logFile: string
  readonly exited: Promise<ServerExit>
  readonly placement: Placement
  readonly #proc: HostProcess
  readonly #confFile: string
  readonly #portsDir: string
  #exit: ServerExit | null = null

  private constructor(
    name: string,
    proc: HostProcess,
    files: { ports: ServerPorts; logFile: string; confFile: string; portsDir: string },
    exited: Promise<ServerExit>,
    placement: Placement,
  ) {
    this.name = name
    this.placement = placement
    this.#proc = proc
    this.ports = files.ports
    this.logFile = files.logFile
    this.#confFile = files.confFile
    this.#portsDir = files.portsDir
    this.exited = exited
    void exited.then((e) => (this.#exit = e))
  }

  get pid(): number {
    return this.#proc.pid
  }
  get clientHostPort(): string {
    return `${this.placement.address}:${this.ports.client}`
  }
  get clusterHostPort(): string | undefined {
    return this.ports.cluster === undefined ? undefined : `${this.placement.address}:${this.ports.cluster}`
  }
  get running(): boolean {
    return this.#exit === null
  }

  static async start(opts: StartServerOptions): Promise<NatsServer> {
    const { name } = opts.config
    const placement = opts.placement ?? LOCAL_PLACEMENT
    const portsDir = join(opts.dir, `${name}.ports.d`)
    mkdirSync(portsDir, { recursive: true, mode: 0o700 })
    for (const f of readdirSync(portsDir)) if (f.endsWith('.ports')) writeFileSync(join(portsDir, f), '') // stale from a previous start
    const confFile = join(opts.dir, `${name}.conf`)
    writeFileSync(confFile, renderServerConfig({ ...opts.config, host: placement.address, portsDir }), { mode: 0o600 })
    const logFile = join(opts.dir, `${name}.log`)
    // On its host (netns: `ip netns exec <ns>`, which execs in place: the pid is the server's;
    // docker: the main process of the host's container). Output goes straight to a file.
    const env = opts.goMaxProcs === undefined || process.env.GOMAXPROCS !== undefined ? {} : { env: { GOMAXPROCS: String(opts.goMaxProcs) } }
    const proc = await placement.launch([opts.binary, '-c', confFile], { logFile, ...env })
    const exited = proc.exited
    const readyTimeoutMs = opts.readyTimeoutMs ?? 10_000
    // Named after the server's pid as it sees it (in a container not the one here): read any when not found.
    const portsFile = join(portsDir, `${baseName(opts.binary)}_${proc.pid}.ports`)
    let ports: ServerPorts | undefined
    const ready = Wait.forCheck<ServerPorts>(
      `nats-server ${name}: ports file written and /healthz answering`,
      async () => {
        ports ??= readPorts(portsDir, portsFile)
        if (ports === undefined) return { done: false, seen: 'no ports file yet' }
        return (await healthy(placement, ports.http))
          ? { done: true, value: ports }
          : { done: false, seen: `/healthz on port ${ports.http} not answering` }
      },
      5,
    )
    // An early exit ends the wait at once, with the exit and the log's last lines.
    const earlyExit = exited.then((exit): never => {
      throw exitError(opts.binary, name, logFile, exit)
    })
    try {
      const p = await waitFor(ready, { timeoutMs: readyTimeoutMs, giveUp: earlyExit })
      return new NatsServer(name, proc, { ports: p, logFile, confFile, portsDir }, exited, placement)
    } catch (err) {
      await proc.signal('SIGKILL')
      if (isNetsimError(err, 'E_TIMEOUT')) {
        throw new NetsimError(
          'E_NATS_SERVER_START',
          `nats-server for ${name} was not ready within ${readyTimeoutMs} ms. Last lines of ${logFile}:\n${logTail(logFile)}`,
          {
            cause: err,
          },
        )
      }
      throw err
    } finally {
      abandon(earlyExit, "the loser of the race: an exit after a successful start is the orchestrator's to handle")
    }
  }

  /** Resolves once delivered (docker: SIGSTOP/SIGCONT pause and unpause the container). */
  signal(sig: NodeJS.Signals): Promise<void> {
    return this.running ? this.#proc.signal(sig) : Promise.resolve()
  }

  /**
   * Rewrites its config and has the running server reload it (SIGHUP), e.g. to add routes and
   * turn JetStream on. nats-server refuses to reload a change of port, so `config` must name its
   * ports as the config it started with did (`-1` stays `-1`). Resolves once the server reports a
   * new config load time (`/varz`); a reload it refused is an E_NATS_SERVER_START with its log.
   */
  async reload(config: StartServerOptions['config'], timeoutMs = 10_000): Promise<void> {
    const loaded = async () => (await monitor<{ config_load_time?: string }>(this, '/varz')).config_load_time
    const before = await loaded()
    writeFileSync(this.#confFile, renderServerConfig({ ...config, host: this.placement.address, portsDir: this.#portsDir }), { mode: 0o600 })
    await this.signal('SIGHUP')
    const reloaded = Wait.forCheck<true>(
      `nats-server ${this.name}: its configuration reloaded`,
      async () => {
        const at = await loaded().catch(() => before)
        return at !== before ? { done: true, value: true } : { done: false, seen: `config loaded at ${before}` }
      },
      20,
    )
    try {
      await waitFor(reloaded, { timeoutMs })
    } catch (err) {
      throw new NetsimError(
        'E_NATS_SERVER_START',
        `nats-server for ${this.name} did not reload its configuration within ${timeoutMs} ms. Last lines of ${this.logFile}:\n${this.logTail()}`,
        { cause: err },
      )
    }
  }

  /** SIGKILL; resolves once the process is gone. */
  async kill(): Promise<ServerExit> {
    await this.signal('SIGKILL')
    return this.exited
  }

  /** SIGTERM (clean shutdown), escalating to SIGKILL after `graceMs`. */
  async stop(graceMs = 5_000): Promise<ServerExit> {
    await this.signal('SIGCONT') // a frozen server cannot act on SIGTERM
    await this.signal('SIGTERM')
    const timer = setTimeout(() => void this.signal('SIGKILL'), graceMs)
    try {
      return await this.exited
    } finally {
      clearTimeout(timer)
    }
  }

  logTail(lines = 20): string {
    return logTail(this.logFile, lines)
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.kill()
  }
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

const readPorts = (dir: string, expected: string): ServerPorts | undefined => {
  // The file is named after the server's pid as it sees it: a wrapper script, or a container's
  // own pid namespace, names it differently. Then any ports file written since the start will
  // do (stale ones were emptied before it).
  const candidates = [expected, ...readdirSync(dir).flatMap((f) => (f.endsWith('.ports') ? [join(dir, f)] : []))]
  for (const file of candidates) {
    const ports = parsePorts(file)
    if (ports !== undefined) return ports
  }
  return undefined
}

const parsePorts = (file: string): ServerPorts | undefined => {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  if (text === '') return undefined
  try {
    const j = JSON.parse(text) as { nats?: string[]; monitoring?: string[]; cluster?: string[] }
    const client = portOf(j.nats?.[0])
    const http = portOf(j.monitoring?.[0])
    if (client === undefined || http === undefined) return undefined
    const cluster = portOf(j.cluster?.[0])
    return cluster === undefined ? { client, http } : { client, http, cluster }
  } catch {
    return undefined // partially written
  }
}

/**
 * Ready for clients. `js-enabled-only`: JetStream is on, but a clustered server's JetStream
 * (its metadata leader, the streams it holds) may still be forming: the first server of a
 * cluster starts without JetStream and one of two servers cannot elect a leader alone, so what
 * needs JetStream (a control plane opening the membership bucket) waits for it itself.
 */
const healthy = async (placement: Placement, httpPort: number): Promise<boolean> => {
  try {
    const res = await placement.httpGet(`http://${placement.address}:${httpPort}/healthz?js-enabled-only=true`, 1_000)
    return res.status >= 200 && res.status < 300
  } catch {
    return false
  }
}

const describeExit = (e: ServerExit): string => (e.signal ? `signal ${e.signal}` : `exit code ${e.code}`)

/** Why a server that exited during its start did: a binary that cannot run, a port taken, or its log. */
const exitError = (binary: string, name: string, logFile: string, exit: ServerExit): NetsimError => {
  if (exit.spawnError) {
    return new NetsimError(
      'E_NATS_SERVER_MISSING',
      `cannot run ${binary}: ${exit.spawnError.message}. Install nats-server with \`npm run setup\` or point NATS_SERVER_BIN at one.`,
      { cause: exit.spawnError },
    )
  }
  const tail = logTail(logFile)
  return new NetsimError(
    'E_NATS_SERVER_START',
    `nats-server for ${name} exited at start (${describeExit(exit)}). Last lines of ${logFile}:\n${tail}` +
      (/address already in use/i.test(tail)
        ? '\nA port it needs is taken: stop what holds it, or run `netsim reap` to remove leftovers of killed runs.'
        : ''),
  )
}

export const logTail = (file: string, lines = 20): string => {
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n')
    return all.slice(-lines).join('\n')
  } catch {
    return '(no log)'
  }
}

/** The server's monitoring endpoint, e.g. `/routez`. */
export const monitor = async <T>(server: NatsServer, path: string): Promise<T> => {
  const { address, httpGet } = server.placement
  const res = await httpGet(`http://${address}:${server.ports.http}${path}`, 2_000)
  if (res.status < 200 || res.status >= 300) throw new Error(`${path}: HTTP ${res.status}`)
  return JSON.parse(res.body) as T
}
