import { selectsRun, type ReapFilter } from '../../platform/run-owner.ts'
import { listNamespaces, removeNamespaces } from '../bridge/namespaces.ts'
import { runIdOfNetns } from './layout.ts'
import { findBinary } from '../../platform/exec.ts'

export interface NamespaceReapResult {
  runId: string
  namespaces: string[]
  /** pids that still ran inside them and were killed */
  killed: number[]
}

/**
 * Removes the network namespaces (their veths and bridge go with them) of runs whose owner is
 * gone, or of the one run named: every `netsim-<runId>-<short>` namespace, after killing what
 * still runs inside. Meant to be called from `sim/platform/run-dir.ts` `reap()` *before* it deletes
 * the run dir (the default `isOrphan` reads the owner record there), e.g.
 * `reapNamespaces({ runId })` per reaped run, or `reapNamespaces({ isOrphan })` once.
 *
 * Without root or without `ip` there is nothing netsim could have created: returns [].
 */
export const reapNamespaces = async (filter: ReapFilter = {}): Promise<NamespaceReapResult[]> => {
  const ip = findBinary('ip')
  if (ip === null || (typeof process.getuid === 'function' && process.getuid() !== 0)) return []
  const byRun = new Map<string, string[]>()
  for (const name of await listNamespaces({ ip })) {
    const runId = runIdOfNetns(name)
    if (runId === null) continue
    byRun.set(runId, [...(byRun.get(runId) ?? []), name])
  }
  const results: NamespaceReapResult[] = []
  for (const [runId, names] of byRun) {
    if (!selectsRun(filter, runId)) continue
    // Host namespaces before the bridge's (sorted: `br` sorts before `g`/`o`, so move it last).
    const ordered = [...names.filter((n) => !n.endsWith('-br')), ...names.filter((n) => n.endsWith('-br'))]
    const killed = await removeNamespaces({ ip }, ordered)
    results.push({ runId, namespaces: ordered, killed })
  }
  return results
}
