import { reapContainers } from '../backends/docker/reap-containers.ts'
import { reapRuns } from '../run/reap-runs.ts'

/**
 * `netsim reap [--run <id>]`: removes what killed runs left behind: namespaces (and what still
 * ran inside), processes, temp dirs, and containers and networks when a Docker engine answers.
 */
export const reapCommand = async (args: { run?: string }): Promise<number> => {
  const filter = args.run === undefined ? {} : { runId: args.run }
  const results = await reapRuns(filter)
  // A quick engine check: with none (this machine, usually) there is nothing to remove.
  const containers = await reapContainers(filter, { timeoutMs: 3_000 })
  if (results.length === 0 && containers.length === 0) process.stdout.write('nothing to reap\n')
  for (const r of results) {
    const ns = r.namespaces.length ? `, ${r.namespaces.length} namespace(s) (${r.namespaces.join(' ')})` : ''
    process.stdout.write(`reaped ${r.runId}: ${r.killed.length} process(es)${r.killed.length ? ` (${r.killed.join(' ')})` : ''}${ns}\n`)
  }
  for (const c of containers) process.stdout.write(`reaped ${c.runId}: ${c.containers.length} container(s), ${c.networks.length} network(s)\n`)
  return 0
}
