import { reapNamespaces } from '../backends/netns/reap-namespaces.ts'
import { reap, type ReapResult } from '../platform/run-dir.ts'

export interface RunReapResult extends ReapResult {
  /** netns backend: the run's namespaces removed (their veths and bridge went with them) */
  namespaces: string[]
}

/**
 * Everything killed runs left behind: their network namespaces (and what still ran inside),
 * then their processes and temp dirs (run-dir.ts `reap`). Namespaces go first: which runs are
 * orphans is read from the owner record in the run dir, which `reap` deletes. A run whose dir
 * is already gone counts as an orphan, so namespaces are never stranded. Runs whose owner is
 * alive are left alone unless named.
 */
export const reapRuns = async (opts: { runId?: string } = {}): Promise<RunReapResult[]> => {
  const namespaces = await reapNamespaces(opts.runId === undefined ? {} : { runId: opts.runId })
  const runs = await reap(opts)
  const byRun = new Map<string, RunReapResult>(runs.map((r) => [r.runId, { ...r, namespaces: [] }]))
  for (const n of namespaces) {
    const r = byRun.get(n.runId) ?? { runId: n.runId, killed: [], namespaces: [] }
    r.namespaces.push(...n.namespaces)
    r.killed.push(...n.killed)
    byRun.set(n.runId, r)
  }
  return [...byRun.values()]
}
