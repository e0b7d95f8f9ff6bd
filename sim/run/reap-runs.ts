import { reapContainers } from '../backends/docker/reap-containers.ts'
import { reapNamespaces } from '../backends/netns/reap-namespaces.ts'
import { reap, type ReapResult } from '../platform/run-dir.ts'

export interface RunReapResult extends ReapResult {
  /** netns and docker backends: the run's namespaces removed (their veths and bridge went with them) */
  namespaces: string[]
  /** docker backend: the run's containers removed */
  containers: string[]
}

/**
 * Everything killed runs left behind: their containers (with `containers`: asked of the engine
 * within its timeout; with none answering there are none to remove), their
 * network namespaces (and what still ran inside), then their processes and temp dirs
 * (run-dir.ts `reap`). A run is dead when its lock is gone (platform/run-lock.ts); the
 * owner record in the run dir counts too, so the backends' leftovers go before the run dir. A
 * run whose dir is already gone counts as an orphan, so nothing is ever stranded. Runs whose
 * owner is alive are left alone unless named.
 */
export const reapRuns = async (opts: { runId?: string; containers?: { engineTimeoutMs: number } } = {}): Promise<RunReapResult[]> => {
  const filter = opts.runId === undefined ? {} : { runId: opts.runId }
  const containers = opts.containers ? await reapContainers(filter, { timeoutMs: opts.containers.engineTimeoutMs }) : []
  const namespaces = await reapNamespaces(filter)
  const runs = await reap(filter)
  const byRun = new Map<string, RunReapResult>(runs.map((r) => [r.runId, { ...r, namespaces: [], containers: [] }]))
  const entry = (runId: string): RunReapResult => {
    let r = byRun.get(runId)
    if (r === undefined) byRun.set(runId, (r = { runId, killed: [], namespaces: [], containers: [] }))
    return r
  }
  for (const c of containers) entry(c.runId).containers.push(...c.containers)
  for (const n of namespaces) {
    const r = entry(n.runId)
    r.namespaces.push(...n.namespaces)
    r.killed.push(...n.killed)
  }
  return [...byRun.values()]
}
