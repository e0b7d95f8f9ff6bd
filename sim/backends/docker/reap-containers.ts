import { selectsRun, type ReapFilter } from '../../platform/run-owner.ts'
import { dockerAvailable } from './docker-available.ts'
import { LABEL } from './docker-specs.ts'
import { runtimeClient, type Dockerode } from './testcontainers.ts'

export interface ContainerReapResult {
  runId: string
  containers: string[]
}

/**
 * Removes the containers (running or not, forcibly) labelled `netsim.run-id` of runs whose owner
 * is gone (the run lock, platform/run-lock.ts), or of the one run named. Their network
 * namespaces, and the veths in them, go with them; the run's bridge namespace is
 * reapNamespaces's. With no engine answering (within `timeoutMs`) there is nothing to reap:
 * returns [].
 */
export const reapContainers = async (filter: ReapFilter = {}, opts: { timeoutMs?: number } = {}): Promise<ContainerReapResult[]> => {
  if (!(await dockerAvailable({ timeoutMs: opts.timeoutMs ?? 5_000 })).ok) return []
  return removeContainers((await runtimeClient()).container.dockerode, filter)
}

/** Every container of one run, removed (the run's own dispose). */
export const removeContainersOfRun = async (docker: Dockerode, runId: string): Promise<string[]> =>
  (await removeContainers(docker, { runId }))[0]?.containers ?? []

const removeContainers = async (docker: Dockerode, filter: ReapFilter): Promise<ContainerReapResult[]> => {
  const label = filter.runId === undefined ? LABEL.runId : `${LABEL.runId}=${filter.runId}`
  const listed = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [label] }) })
  const byRun = new Map<string, ContainerReapResult>()
  await Promise.all(
    listed.map(async (c) => {
      const runId = c.Labels[LABEL.runId]
      if (runId === undefined || !selectsRun(filter, runId)) return
      try {
        await docker.getContainer(c.Id).remove({ force: true, v: true })
      } catch (e) {
        // removed meanwhile (the run's own dispose, a concurrent reap): the end state is the same
        const code = (e as { statusCode?: number }).statusCode
        if (code !== 404 && code !== 409) throw e
      }
      const r = byRun.get(runId) ?? { runId, containers: [] }
      r.containers.push(c.Names[0]?.replace(/^\//, '') ?? c.Id)
      byRun.set(runId, r)
    }),
  )
  return [...byRun.values()]
}
