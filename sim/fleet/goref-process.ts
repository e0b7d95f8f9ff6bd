import { spawn, type ChildProcess } from 'node:child_process'
import { isEventKind, type RawEvent } from '../core/events.ts'
import { ReplyWaiters } from '../platform/reply-waiters.ts'

/**
 * The harness side of one reference client process (goref/main.go): spawned with the run id
 * on its command line (so `netsim reap` finds it after a kill -9), commands written to its stdin
 * as JSON lines (the spec, with the token, never on the command line), its stdout read as JSON
 * lines: events go to `onEvents` one batch per chunk read (goref flushes every 25 ms, as the
 * simulated workers batch theirs), control lines resolve `waitFor`. A line that is neither, or
 * the process dying, fails every wait with the reason and the end of its stderr.
 */
export class GorefProcess {
  readonly child: ChildProcess
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  readonly #replies = new ReplyWaiters<{ type: string } & Record<string, unknown>>()
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null
  #partial = ''
  #stderr = ''
  #broken: Error | null = null

  constructor(argv: string[], onEvents: (events: RawEvent[]) => void) {
    this.child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] })
    // A write after the process died is not this side's error: the exit reports it.
    this.child.stdin?.on('error', () => {})
    this.child.stderr?.on('data', (d: Buffer) => {
      this.#stderr = (this.#stderr + d.toString()).slice(-4000)
    })
    this.child.stdout?.on('data', (d: Buffer) => {
      const lines = (this.#partial + d.toString()).split('\n')
      this.#partial = lines.pop() ?? ''
      const events: RawEvent[] = []
      for (const line of lines) if (line !== '') this.#line(line, events)
      if (events.length > 0) onEvents(events)
    })
    // A binary that cannot be started: its 'close' follows.
    this.child.once('error', (e) => (this.#broken ??= new Error(`the nats.go reference client could not be started: ${e.message}`)))
    // 'close', not 'exit': the last lines it wrote (its "stopped") are read before the wait fails.
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.#exit = { code, signal }
        const why = this.#broken?.message ?? `exited (${signal ?? `code ${code}`})${this.#stderr ? `: ${this.#stderr.trim()}` : ''}`
        this.#replies.failAll(why)
        resolve({ code, signal })
      })
    })
  }

  #line(line: string, events: RawEvent[]): void {
    let m: Record<string, unknown>
    try {
      m = JSON.parse(line) as Record<string, unknown>
    } catch {
      return this.#break(`wrote a line that is not JSON: ${line.slice(0, 200)}`)
    }
    if (typeof m.kind === 'string' && isEventKind(m.kind) && typeof m.at === 'number') events.push(m as unknown as RawEvent)
    else if (typeof m.type === 'string') this.#replies.deliver(m as { type: string } & Record<string, unknown>)
    else this.#break(`wrote a line that is no event and no control line: ${line.slice(0, 200)}`)
  }

  /** A reference client that says what netsim cannot read is a bug: it is stopped, every wait fails. */
  #break(why: string): void {
    this.#broken ??= new Error(`the nats.go reference client ${why}`)
    this.signal('SIGKILL')
  }

  get pid(): number {
    return this.child.pid as number
  }
  get running(): boolean {
    return this.#exit === null
  }

  send(msg: unknown): void {
    if (this.running && this.child.stdin?.writable) this.child.stdin.write(`${JSON.stringify(msg)}\n`)
  }

  /** Resolves with the next control line of this type; rejects if the process exits or time runs out. */
  waitFor(type: string, timeoutMs: number): Promise<Record<string, unknown>> {
    if (!this.running) return Promise.reject(new Error(`process already exited before "${type}"`))
    return this.#replies.wait(type, timeoutMs)
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig)
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL')
    await this.exited
  }
}
