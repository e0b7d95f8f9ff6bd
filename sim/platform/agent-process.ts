import { fork, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { RawEvent } from '../core/events.ts'
import type { AgentMessage } from './event-batcher.ts'

/**
 * The harness side of an agent process (a compute worker or an orchestrator control plane):
 * forked with the run id on its command line, events forwarded to `onEvents`, and a promise
 * for each awaited reply that also fails when the process dies first.
 */
export class AgentProcess {
  readonly child: ChildProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  #waiters: { type: string; resolve: (m: AgentMessage) => void; reject: (e: Error) => void }[] = []
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null

  /**
   * `opts.wrap` starts it elsewhere (netns: `ip netns exec <ns> node …`): spawned with an IPC
   * channel as fork would, the channel's fd inherited through the wrapper, which execs in place
   * (so `pid` is the agent's own).
   */
  constructor(
    script: URL,
    args: string[],
    onEvents: (events: RawEvent[]) => void,
    onFatal?: (message: string) => void,
    opts: { wrap?: (argv: string[]) => string[] } = {},
  ) {
    // Warnings about type stripping are noise in every agent's stderr.
    const execArgv = [...process.execArgv.filter((a) => !a.startsWith('--inspect')), '--disable-warning=ExperimentalWarning']
    const stdio: ['ignore', 'inherit', 'inherit', 'ipc'] = ['ignore', 'inherit', 'inherit', 'ipc']
    if (opts.wrap) {
      const argv = opts.wrap([process.execPath, ...execArgv, fileURLToPath(script), ...args])
      this.child = spawn(argv[0] as string, argv.slice(1), { serialization: 'advanced', stdio })
    } else {
      this.child = fork(fileURLToPath(script), args, { execArgv, serialization: 'advanced', stdio })
    }
    this.child.on('message', (m: AgentMessage) => {
      if (m.type === 'events') onEvents(m.events)
      else if (m.type === 'fatal') onFatal?.(m.message)
      const i = this.#waiters.findIndex((w) => w.type === m.type)
      if (i >= 0) this.#waiters.splice(i, 1)[0]?.resolve(m)
    })
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.#exit = { code, signal }
        for (const w of this.#waiters.splice(0)) w.reject(new Error(`process exited (${signal ?? `code ${code}`}) before "${w.type}"`))
        resolve({ code, signal })
      })
    })
  }

  get pid(): number {
    return this.child.pid as number
  }
  get running(): boolean {
    return this.#exit === null
  }

  send(msg: unknown): void {
    if (this.child.connected) this.child.send(msg as never)
  }

  /** Resolves with the next message of this type; rejects if the process exits or time runs out. */
  waitFor(type: string, timeoutMs: number): Promise<AgentMessage> {
    if (!this.running) return Promise.reject(new Error(`process already exited before "${type}"`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        reject(new Error(`no "${type}" within ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter = {
        type,
        resolve: (m: AgentMessage) => (clearTimeout(timer), resolve(m)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      }
      this.#waiters.push(waiter)
    })
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig)
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL')
    await this.exited
  }
}
