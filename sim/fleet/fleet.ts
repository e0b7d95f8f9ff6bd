import type { RawEvent } from '../core/events.ts'
import { NetsimError } from '../core/errors.ts'
import { settle } from '../core/abandon.ts'
import { AgentProcess } from '../platform/agent-process.ts'
import type { Placement } from '../core/placement.ts'
import { ProcessFleet } from './process-fleet.ts'
import type { FleetNodeSpec } from './node-spec.ts'
import type { WorkerCommand } from './worker-main.ts'

/**
 * The simulated compute fleet: nodes spread round-robin over worker processes (default one per
 * core), so thousands of nodes use every core and no single event loop does every handshake.
 *
 * With `groups` (netns and docker: each node group is a host, a network namespace or a
 * container) every worker belongs to one group and is started there, and a group's nodes go
 * only to its own workers: `workers` is split over the groups, at least one each.
 */
export interface FleetGroup {
  name: string
  /** its node count (a group of 0 nodes gets no worker) */
  count: number
  placement: Placement
}

/** How many workers each group gets: `workers` split evenly, at least one, at most one per node. */
export const workersPerGroup = (workers: number, groups: readonly { name: string; count: number }[]): Map<string, number> => {
  const used = groups.filter((g) => g.count > 0)
  const each = Math.max(1, Math.floor(Math.max(1, workers) / Math.max(1, used.length)))
  return new Map(used.map((g) => [g.name, Math.min(each, g.count)]))
}

export class Fleet extends ProcessFleet<AgentProcess> {
  readonly client = 'sim'

  private constructor(workers: AgentProcess[], groupOf: (string | undefined)[]) {
    super(workers, groupOf)
  }

  static async start(opts: { runId: string; workers: number; onEvents: (events: RawEvent[]) => void; groups?: FleetGroup[] }): Promise<Fleet> {
    const script = new URL('./worker-main.ts', import.meta.url)
    if (opts.groups === undefined) {
      const workers = Array.from(
        { length: Math.max(1, opts.workers) },
        (_, i) => new AgentProcess(script, [opts.runId, `worker-${i}`], opts.onEvents),
      )
      return new Fleet(
        workers,
        workers.map(() => undefined),
      )
    }
    const per = workersPerGroup(opts.workers, opts.groups)
    const slots = opts.groups.flatMap((g) => Array.from({ length: per.get(g.name) ?? 0 }, () => g))
    // Groups in parallel, a group's workers one after another: its first worker may start its
    // host (docker: the container), the others join it.
    const workers: (AgentProcess | undefined)[] = slots.map(() => undefined)
    const launches = opts.groups.map(async (g) => {
      for (const [i, slot] of slots.entries())
        if (slot === g) workers[i] = await AgentProcess.launch(g.placement, script, [opts.runId, `worker-${i}`], opts.onEvents)
    })
    const failed = (await Promise.allSettled(launches)).find((r) => r.status === 'rejected')
    if (failed !== undefined) {
      await Promise.all(workers.map((w) => w?.kill()))
      const err = (failed as PromiseRejectedResult).reason as Error
      throw new NetsimError('E_WORKER', `a compute worker did not start: ${err.message}`, { cause: err })
    }
    return new Fleet(
      workers as AgentProcess[],
      slots.map((g) => g.name),
    )
  }

  protected async launchNodes(
    nodes: FleetNodeSpec[],
    opts: { concurrency: number; timeoutMs: number },
  ): Promise<{ started: number; failed: number }> {
    const shares: FleetNodeSpec[][] = this.procs.map(() => [])
    if (this.groupOf.every((g) => g === undefined)) nodes.forEach((n, i) => shares[i % shares.length]?.push(n))
    else {
      // Each node to the next worker of its own group (round-robin within the group).
      const next = new Map<string, number>()
      for (const n of nodes) {
        const own = this.groupOf.flatMap((g, i) => (g === n.group ? [i] : []))
        if (own.length === 0) throw new NetsimError('E_WORKER', `no compute worker was started for group ${n.group}`)
        const k = next.get(n.group) ?? 0
        next.set(n.group, k + 1)
        shares[own[k % own.length] as number]?.push(n)
      }
    }
    const replies = await Promise.all(
      this.procs.map(async (w, i) => {
        const share = shares[i] as FleetNodeSpec[]
        if (share.length === 0) return { started: 0, failed: 0 }
        const ready = w.waitFor('ready', opts.timeoutMs)
        w.send({ type: 'start', nodes: share, concurrency: opts.concurrency } satisfies WorkerCommand)
        try {
          return (await ready) as unknown as { started: number; failed: number }
        } catch (err) {
          throw new NetsimError(
            'E_WORKER',
            `compute worker ${i} (pid ${w.pid}) failed while starting ${share.length} nodes: ${(err as Error).message}`,
            { cause: err },
          )
        }
      }),
    )
    return replies.reduce((a, r) => ({ started: a.started + r.started, failed: a.failed + r.failed }), { started: 0, failed: 0 })
  }

  /**
   * Restarts every node of `group` in place (same id, same worker), keeping or wiping what it
   * keeps across restarts (a NATS node's registration lock); resolves when each is back
   * (registered, or skipped registration thanks to its lock) or failed for good.
   */
  async restart(group: string, opts: { keepLock: boolean; concurrency: number; timeoutMs: number }): Promise<{ restarted: number; failed: number }> {
    const replies = await Promise.all(
      this.procs.map(async (w, i) => {
        const done = w.waitFor('restarted', opts.timeoutMs)
        w.send({ type: 'restart', group, keepLock: opts.keepLock, concurrency: opts.concurrency } satisfies WorkerCommand)
        try {
          return (await done) as unknown as { restarted: number; failed: number }
        } catch (err) {
          throw new NetsimError('E_WORKER', `compute worker ${i} (pid ${w.pid}) failed while restarting group ${group}: ${(err as Error).message}`, {
            cause: err,
          })
        }
      }),
    )
    return replies.reduce((a, r) => ({ restarted: a.restarted + r.restarted, failed: a.failed + r.failed }), { restarted: 0, failed: 0 })
  }

  /**
   * Closes every node's connection (recording `node.stopped`), then ends the workers: all of
   * them confirm (or time out) before any is ended, since a group's workers may share a
   * container whose first worker's end is the container's.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.all(
      this.procs.map(async (w) => {
        const stopped = settle(w.waitFor('stopped', timeoutMs), 'a worker that does not confirm is killed next anyway')
        w.send({ type: 'stop' } satisfies WorkerCommand)
        await stopped
      }),
    )
    await Promise.all(this.procs.map((w) => w.kill()))
  }
}
