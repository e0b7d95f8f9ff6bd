import { selectsRun, type ReapFilter } from '../../platform/run-owner.ts'
import { dockerAvailable } from './docker-available.ts'
import { LABEL } from './docker-specs.ts'

export interface ContainerReapResult {
  runId: string
  containers: string[]
  networks: string[]
}

/**
 * Removes the containers (running or not, forcibly) and networks labelled `netsim.run-id` of
 * runs whose owner is gone, or of the one run named. With no engine answering (within
 * `timeoutMs`) there is nothing to reap: returns []. Call it from run-dir.ts `reap()` next to
 * reapNamespaces, before the run dir is deleted (the default orphan test reads it).
 */
export const reapContainers = async (filter: ReapFilter = {}, opts: { timeoutMs?: number } = {}): Promise<ContainerReapResult[]> => {
  if (!(await dockerAvailable({ timeoutMs: opts.timeoutMs ?? 5_000 })).ok) return []
  const { getContainerRuntimeClient } = await import('testcontainers')
  const docker = (await getContainerRuntimeClient()).container.dockerode
  const byRun = new Map<string, ContainerReapResult>()
  const entry = (runId: string) => {
    let r = byRun.get(runId)
    if (!r) byRun.set(runId, (r = { runId, containers: [], networks: [] }))
    return r
  }
  const label = filter.runId === undefined ? LABEL.runId : `${LABEL.runId}=${filter.runId}`
  const containers = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [label] }) })
  for (const c of containers) {
    const runId = c.Labels[LABEL.runId]
    if (runId === undefined || !selectsRun(filter, runId)) continue
    await docker.getContainer(c.Id).remove({ force: true, v: true })
    entry(runId).containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id)
  }
  // Networks after their containers: a network with endpoints cannot be removed.
  const networks = await docker.listNetworks({ filters: JSON.stringify({ label: [label] }) })
  for (const n of networks) {
    const runId = n.Labels?.[LABEL.runId]
    if (runId === undefined || !selectsRun(filter, runId)) continue
    await docker.getNetwork(n.Id).remove()
    entry(runId).networks.push(n.Name)
  }
  return [...byRun.values()]
}
