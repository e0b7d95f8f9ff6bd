import type { FleetClient } from '../plan/run-plan.ts'
import { unlessAborted, type ComputeFleet } from './compute-fleet.ts'
import type { FleetNodeSpec } from './node-spec.ts'

/** What a fleet needs of one of its processes (AgentProcess, GorefProcess). */
export interface FleetProcess {
  readonly pid: number
  /** ends it at once; never throws */
  kill(): Promise<unknown>
}

/**
 * A compute fleet run by processes, each perhaps bound to one node group: what the simulated
 * fleet (fleet.ts) and the nats.go one (go-fleet.ts) share. How nodes are handed out, stopped
 * and restarted is each one's own.
 */
export abstract class ProcessFleet<P extends FleetProcess> implements ComputeFleet {
  abstract readonly client: FleetClient
  protected readonly procs: readonly P[]
  /** the group of each process (same index), when processes are placed per group */
  protected readonly groupOf: readonly (string | undefined)[]

  protected constructor(procs: readonly P[], groupOf: readonly (string | undefined)[]) {
    this.procs = procs
    this.groupOf = groupOf
  }

  get pids(): number[] {
    return this.procs.map((p) => p.pid)
  }

  launch(
    nodes: FleetNodeSpec[],
    opts: { concurrency: number; timeoutMs: number; signal?: AbortSignal },
  ): Promise<{ started: number; failed: number }> {
    return unlessAborted(() => this.launchNodes(nodes, opts), opts.signal)
  }

  /** Starts `nodes` on the processes; resolves when each has registered or failed for good. */
  protected abstract launchNodes(
    nodes: FleetNodeSpec[],
    opts: { concurrency: number; timeoutMs: number },
  ): Promise<{ started: number; failed: number }>

  abstract stop(timeoutMs?: number): Promise<void>

  async dispose(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.kill()))
  }
}
