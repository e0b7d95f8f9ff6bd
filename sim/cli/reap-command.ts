import { resolve } from 'node:path'
import { reapRuns } from '../run/reap-runs.ts'
import { reapPartials } from '../platform/atomic-dir.ts'
import { loadHarnessConfig } from '../config/load.ts'

/**
 * `netsim reap [--run <id>] [--reports <dir>]`: removes what killed runs left behind:
 * namespaces (and what still ran inside), processes, temp dirs, half-written report folders in
 * the reports folder (default: reports_dir of ./harness.config.yaml, else ./reports), and
 * containers of killed docker runs when a Docker engine answers.
 */
export const reapCommand = async (args: { run?: string; reports?: string }): Promise<number> => {
  const filter = args.run === undefined ? {} : { runId: args.run }
  // A quick engine check: with none answering there are no containers to remove.
  const results = await reapRuns({ ...filter, containers: { engineTimeoutMs: 3_000 } })
  const partials = reapPartials(resolve(args.reports ?? loadHarnessConfig().settings.reports_dir ?? 'reports'))
  if (results.length === 0 && partials.length === 0) process.stdout.write('nothing to reap\n')
  for (const p of partials) process.stdout.write(`removed half-written ${p}\n`)
  for (const r of results) {
    const ns = r.namespaces.length ? `, ${r.namespaces.length} namespace(s) (${r.namespaces.join(' ')})` : ''
    const cs = r.containers.length ? `, ${r.containers.length} container(s) (${r.containers.join(' ')})` : ''
    process.stdout.write(`reaped ${r.runId}: ${r.killed.length} process(es)${r.killed.length ? ` (${r.killed.join(' ')})` : ''}${ns}${cs}\n`)
  }
  return 0
}
