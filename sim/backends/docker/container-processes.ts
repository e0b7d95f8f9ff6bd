import { createWriteStream } from 'node:fs'
import { constants } from 'node:os'
import type { Writable } from 'node:stream'
import type { Channel, HostProcess, ProcessExit } from '../../core/placement.ts'
import { exitOfStatus } from './docker-specs.ts'
import type { Dockerode } from './testcontainers.ts'

/**
 * The processes of a host's container, as the harness sees any process (core/placement.ts
 * HostProcess). Process faults go through the engine (docs/backends.md, "docker"):
 *
 * - the container's main process (a server, a group's first worker): SIGKILL, SIGTERM, SIGUSR2
 *   are `docker kill --signal` (docker-init forwards them to it; SIGKILL ends the whole
 *   container, as a machine's crash would); SIGSTOP and SIGCONT are `docker pause` and
 *   `unpause`, the cgroup freezer, which freezes everything in the container at once;
 * - a process exec'd into the running container (a control plane, a group's other workers):
 *   the engine has no call to signal it, so its host pid is signalled (the harness is root on
 *   the same machine); it is frozen and killed with its container, so SIGSTOP and SIGCONT are
 *   left to the container's main process.
 */
type Container = ReturnType<Dockerode['getContainer']>

/** Where a process's output goes: appended to its log file, or to the harness's stderr. */
export const outputSink = (logFile: string | undefined): { stream: Writable; end: () => void } => {
  if (logFile === undefined) return { stream: process.stderr, end: () => undefined }
  const stream = createWriteStream(logFile, { flags: 'a', mode: 0o600 })
  return { stream, end: () => stream.end() }
}

const statusCode = (e: unknown): number | undefined => (e as { statusCode?: number }).statusCode

/** An engine call that may find the container already stopped (409) or gone (404): nothing left to do. */
const tolerated = async (call: () => Promise<unknown>): Promise<void> => {
  try {
    await call()
  } catch (e) {
    const code = statusCode(e)
    if (code !== 404 && code !== 409 && code !== 304) throw e
  }
}

export class ContainerMain implements HostProcess {
  readonly pid: number
  readonly exited: Promise<ProcessExit>
  readonly channel: Channel | null
  readonly #container: Container
  #exit: ProcessExit | null = null
  #paused = false
  /** engine calls in the order they were asked for (a thaw must not overtake its freeze) */
  #queue: Promise<void> = Promise.resolve()

  constructor(container: Container, pid: number, exited: Promise<ProcessExit>, channel: Channel | null) {
    this.#container = container
    this.pid = pid
    this.channel = channel
    this.exited = exited.then((e) => (this.#exit = e))
  }

  get running(): boolean {
    return this.#exit === null
  }

  signal(sig: NodeJS.Signals): Promise<void> {
    const next = this.#queue.then(async () => {
      if (this.#exit !== null) return
      if (sig === 'SIGSTOP') {
        if (!this.#paused) await tolerated(() => this.#container.pause())
        this.#paused = true
        return
      }
      // Whatever comes next acts on a running process: a frozen one is thawed first.
      if (this.#paused) await tolerated(() => this.#container.unpause())
      this.#paused = false
      if (sig !== 'SIGCONT') await tolerated(() => this.#container.kill({ signal: sig }))
    })
    this.#queue = next.catch(() => undefined)
    return next
  }
}

export class ExecProcess implements HostProcess {
  readonly pid: number
  readonly exited: Promise<ProcessExit>
  readonly channel: Channel | null
  #exit: ProcessExit | null = null

  constructor(pid: number, exited: Promise<ProcessExit>, channel: Channel | null) {
    this.pid = pid
    this.channel = channel
    this.exited = exited.then((e) => (this.#exit = e))
  }

  async signal(sig: NodeJS.Signals): Promise<void> {
    if (this.#exit !== null || sig === 'SIGSTOP' || sig === 'SIGCONT' || this.pid === 0) return
    try {
      process.kill(this.pid, sig)
    } catch {
      // gone meanwhile (its container stopped)
    }
  }
}

/** Starts `argv` in the running container; its output demultiplexed to `sink`, its exit from the engine. */
export const execIn = async (
  docker: Dockerode,
  container: Container,
  argv: string[],
  env: Record<string, string>,
  sink: { stream: Writable; end: () => void },
): Promise<{ pid: number; exited: Promise<ProcessExit> }> => {
  const exec = await container.exec({
    Cmd: argv,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    AttachStdout: true,
    AttachStderr: true,
  })
  const stream = await exec.start({ hijack: true, stdin: false })
  docker.modem.demuxStream(stream, sink.stream, sink.stream)
  const exited = new Promise<ProcessExit>((resolve) => {
    let done = false
    const finish = async () => {
      if (done) return
      done = true
      sink.end()
      const info = await exec.inspect().catch(() => null)
      const code = info?.ExitCode
      resolve(code === null || code === undefined ? { code: null, signal: 'SIGKILL' } : exitOfStatus(code, constants.signals))
    }
    stream.on('end', finish)
    stream.on('close', finish)
    stream.on('error', finish)
  })
  // The engine knows the pid once the process runs; the start call returns as it starts.
  let pid = 0
  for (let i = 0; i < 50 && pid === 0; i++) {
    const info = await exec.inspect()
    pid = info.Pid ?? 0
    if (pid === 0 && !info.Running) break
    if (pid === 0) await new Promise((r) => setTimeout(r, 10))
  }
  return { pid, exited }
}
