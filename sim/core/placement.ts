/**
 * Where one host's processes run, as the harness needs it: the address its servers bind and
 * others dial, how a process is started there, and how the harness reads an HTTP endpoint at
 * that address. On the process backend that is 127.0.0.1, a plain child process and a plain
 * fetch; on netns the host's 127.200.x.y, a child started through `ip netns exec <ns>`, and a
 * GET relayed through the run's observer process (the root namespace cannot reach the run's
 * addresses); on docker the same address and observer, and processes in the host's container
 * (docs/backends.md).
 */
export interface HttpResponse {
  status: number
  body: string
}

export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>

export const directHttpGet: HttpGet = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  return { status: res.status, body: await res.text() }
}

export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** set when the process could not be started at all (ENOENT, EACCES) */
  spawnError?: NodeJS.ErrnoException
}

/**
 * Messages between the harness and an agent process (a compute worker, a control plane), both
 * ways, as structured clones: a child's IPC channel, or a unix socket where the agent runs in a
 * container (platform/socket-channel.ts).
 */
export interface Channel {
  send(msg: unknown): void
  onMessage(fn: (msg: unknown) => void): void
}

/** A process started on a host: what NatsServer and AgentProcess need of it, wherever it runs. */
export interface HostProcess {
  /** its pid on this machine (for sampling and sweeps); 0 when not known */
  readonly pid: number
  readonly exited: Promise<ProcessExit>
  /**
   * Delivers a signal; resolves once it is delivered (an engine call can take milliseconds).
   * On docker a container's main process is frozen by the cgroup freezer: SIGSTOP pauses the
   * container and SIGCONT unpauses it.
   */
  signal(sig: NodeJS.Signals): Promise<void>
  /** its message channel, when launched with `channel: true` */
  readonly channel: Channel | null
}

export interface LaunchOptions {
  /** stdout and stderr appended to this file; default: the harness's own stderr */
  logFile?: string
  /** variables added to its environment (the process backends add them to the harness's;
   *  a container gets only these: nothing of the harness's environment leaks into `docker inspect`) */
  env?: Record<string, string>
  /** give it a message channel to the harness (agents) */
  channel?: boolean
}

export interface Placement {
  address: string
  httpGet: HttpGet
  /** Starts `argv` on the host. Paths in `argv` are the harness's own: a container mounts them where they are. */
  launch(argv: string[], opts?: LaunchOptions): Promise<HostProcess>
  /**
   * Where the host's processes are children of the harness (process, netns: `ip netns exec`):
   * the argv that starts one there, for a process the harness talks to over its stdio (the
   * nats.go reference client). Undefined on docker, whose processes are in containers.
   */
  wrap?: (argv: string[]) => string[]
}
