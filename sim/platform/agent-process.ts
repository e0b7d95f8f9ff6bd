import { fileURLToPath } from 'node:url'
import type { RawEvent } from '../core/events.ts'
import type { HostProcess, Placement, ProcessExit } from '../core/placement.ts'
import type { AgentMessage } from './event-batcher.ts'
import { launchLocal, type Wrap } from './local-launch.ts'
import { ReplyWaiters } from './reply-waiters.ts'

/**
 * The harness side of an agent process (a compute worker or an orchestrator control plane):
 * started with the run id on its command line, events forwarded to `onEvents`, and a promise
 * for each awaited reply that also fails when the process dies first. Its channel is an IPC
 * channel, or a unix socket where it runs in a container (the placement decides).
 */
export class AgentProcess {
  readonly #proc: HostProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  readonly #replies = new ReplyWaiters<AgentMessage>()
  #exit: ProcessExit | null = null
  readonly #listeners: ((m: AgentMessage) => void)[] = []

  /**
   * A child of the harness; `opts.wrap` starts it elsewhere (netns: `ip netns exec <ns> node …`),
   * the IPC channel's fd inherited through the wrapper, which execs in place (so `pid` is the
   * agent's own). `opts.launched`: a process a placement already started (AgentProcess.launch).
   */
  constructor(
    script: URL,
    args: string[],
    onEvents: (events: RawEvent[]) => void,
    onFatal?: (message: string) => void,
    opts: { wrap?: Wrap; launched?: HostProcess } = {},
  ) {
    this.#proc = opts.launched ?? launchLocal(agentArgv(script, args), { channel: true }, opts.wrap)
    this.#proc.channel?.onMessage((raw) => {
      const m = raw as AgentMessage
      if (m.type === 'events') onEvents(m.events)
      else if (m.type === 'fatal') onFatal?.(m.message)
      for (const l of this.#listeners) l(m)
      this.#replies.deliver(m)
    })
    this.exited = this.#proc.exited.then((exit) => {
      this.#exit = exit
      const { code, signal } = exit
      this.#replies.failAll(`process exited (${signal ?? `code ${code}`})`)
      return { code, signal }
    })
  }

  /** Starts the agent on a host of the run's backend (placement.launch with a channel). */
  static async launch(
    placement: Placement,
    script: URL,
    args: string[],
    onEvents: (events: RawEvent[]) => void,
    onFatal?: (message: string) => void,
  ): Promise<AgentProcess> {
    const launched = await placement.launch(agentArgv(script, args), { channel: true })
    return new AgentProcess(script, args, onEvents, onFatal, { launched })
  }

  get pid(): number {
    return this.#proc.pid
  }
  get running(): boolean {
    return this.#exit === null
  }

  /** Every message, as it arrives (besides events and awaited replies). */
  onMessage(fn: (m: AgentMessage) => void): void {
    this.#listeners.push(fn)
  }

  send(msg: unknown): void {
    if (this.running) this.#proc.channel?.send(msg)
  }

  /** Resolves with the next message of this type; rejects if the process exits or time runs out. */
  waitFor(type: string, timeoutMs: number): Promise<AgentMessage> {
    if (!this.running) return Promise.reject(new Error(`process already exited before "${type}"`))
    return this.#replies.wait(type, timeoutMs)
  }

  /** Resolves once delivered (a container's engine call); the process may still be exiting. */
  signal(sig: NodeJS.Signals): Promise<void> {
    return this.running ? this.#proc.signal(sig) : Promise.resolve()
  }

  async kill(): Promise<void> {
    await this.signal('SIGKILL')
    await this.exited
  }
}

/** The node command line of an agent: this runtime, its flags (but a debugger's), the script, its args. */
export const agentArgv = (script: URL, args: string[], execArgv: readonly string[] = process.execArgv): string[] => [
  process.execPath,
  // Node's own options carry over (memory, warnings), not the harness's loaders: a test runner's
  // or an APM's --import hooks would run in every agent (in a container, tap's hooks failed to
  // compile the docker tests' probe in a fresh clone's first CI run). Nor a debugger port.
  ...execArgv.filter(
    (a, i, all) =>
      !/^--(inspect|import|loader|experimental-loader|require)\b/.test(a) &&
      !/^-r$/.test(a) &&
      !/^(-r|--import|--loader|--require)$/.test(all[i - 1] ?? ''),
  ),
  // Warnings about type stripping are noise in every agent's stderr.
  '--disable-warning=ExperimentalWarning',
  fileURLToPath(script),
  ...args,
]
