import { abandon } from '../core/abandon.ts'
import { NetsimError } from '../core/errors.ts'
import type { FleetClient } from '../plan/run-plan.ts'
import type { FleetNodeSpec } from './node-spec.ts'

/**
 * What a run needs of its compute fleet, whoever runs the nodes (the plan's `client`): netsim's
 * simulated nodes in worker processes (fleet.ts), or real nats.go clients in the reference
 * client (go-fleet.ts). The run launches, stops and disposes it the same way, so the same
 * scenario runs with either and its metrics come from the same events.
 */
export interface ComputeFleet {
  readonly client: FleetClient
  /** its processes (benchmarks read their RSS) */
  readonly pids: number[]
  /** Starts nodes; resolves when every node has registered or failed for good (rejects E_INTERRUPTED on `signal`). */
  launch(nodes: FleetNodeSpec[], opts: { concurrency: number; timeoutMs: number; signal?: AbortSignal }): Promise<{ started: number; failed: number }>
  /** Closes every node's connection (recording `node.stopped`), then ends its processes. */
  stop(timeoutMs?: number): Promise<void>
  /** Kills its processes at once (the run's teardown); never throws. */
  dispose(): Promise<void>
}

/** `work`, unless `signal` aborts first: then E_INTERRUPTED, and the work is left to the teardown. */
export const unlessAborted = async <T>(work: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
  if (signal === undefined) return work()
  if (signal.aborted) throw new NetsimError('E_INTERRUPTED', 'interrupted')
  let onAbort = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new NetsimError('E_INTERRUPTED', 'interrupted'))
    signal.addEventListener('abort', onAbort, { once: true })
  })
  const working = work()
  try {
    return await Promise.race([working, aborted])
  } catch (e) {
    abandon(working, 'interrupted: the teardown kills the fleet')
    throw e
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
