import { reap } from '../run/run-dir.ts'

/** `netsim reap [--run <id>]`: removes what killed runs left behind. */
export const reapCommand = (args: { run?: string }): number => {
  const results = reap(args.run === undefined ? {} : { runId: args.run })
  if (results.length === 0) process.stdout.write('nothing to reap\n')
  for (const r of results) process.stdout.write(`reaped ${r.runId}: ${r.killed.length} process(es)${r.killed.length ? ` (${r.killed.join(' ')})` : ''}\n`)
  return 0
}
