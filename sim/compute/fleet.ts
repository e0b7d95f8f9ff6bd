import type { RawEvent } from '../events.ts'
import { NetsimError } from '../errors.ts'
import { AgentProcess } from '../ipc/agent-process.ts'
import type { FleetNodeSpec } from './node-spec.ts'
import type { WorkerCommand } from './worker-main.ts'

/**
 * The simulated compute fleet: nodes spread round-robin over worker processes (default one per
 * core), so thousands of nodes use every core and no single event loop does every handshake.
 */
export class Fleet {
  readonly #workers: AgentProcess[]

  private constructor(workers: AgentProcess[]) {
    this.#workers = workers
  }

  static start(opts: { runId: string; workers: number; onEvents: (events: RawEvent[]) => void }): Fleet {
    const workers = Array.from(
      { length: Math.max(1, opts.workers) },
      (_, i) => new AgentProcess(new URL('./worker-main.ts', import.meta.url), [opts.runId, `worker-${i}`], opts.onEvents),
    )
    return new Fleet(workers)
  }

  get pids(): number[] {
    return this.#workers.map((w) => w.pid)
  }

  /** Starts nodes; resolves when every node has registered or failed for good. */
  async launch(nodes: FleetNodeSpec[], opts: { concurrency: number; timeoutMs: number }): Promise<{ started: number; failed: number }> {
    const shares: FleetNodeSpec[][] = this.#workers.map(() => [])
    nodes.forEach((n, i) => shares[i % shares.length]?.push(n))
    const replies = await Promise.all(
      this.#workers.map(async (w, i) => {
        const share = shares[i] as FleetNodeSpec[]
        if (share.length === 0) return { started: 0, failed: 0 }
        const ready = w.waitFor('ready', opts.timeoutMs)
        w.send({ type: 'start', nodes: share, concurrency: opts.concurrency } satisfies WorkerCommand)
        try {
          return (await ready) as unknown as { started: number; failed: number }
        } catch (err) {
          throw new NetsimError('E_WORKER', `compute worker ${i} (pid ${w.pid}) failed while starting ${share.length} nodes: ${(err as Error).message}`, { cause: err })
        }
      }),
    )
    return replies.reduce((a, r) => ({ started: a.started + r.started, failed: a.failed + r.failed }), { started: 0, failed: 0 })
  }

  /** Closes every node's connection (recording `node.stopped`), then ends the workers. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.all(
      this.#workers.map(async (w) => {
        const stopped = w.waitFor('stopped', timeoutMs).catch(() => null)
        w.send({ type: 'stop' } satisfies WorkerCommand)
        await stopped
        await w.kill()
      }),
    )
  }

  async dispose(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.kill()))
  }
}
