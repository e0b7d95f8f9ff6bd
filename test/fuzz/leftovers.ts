import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

/**
 * What a netsim command may leave behind, found by a marker only that command's processes
 * carry: a unique value of NETSIM_FUZZ_MARK in their environment (children inherit it), a
 * private NETSIM_RUNS_DIR, its reports folder. Empty lists: nothing left.
 */
export interface Leftovers {
  processes: string[]
  runDirs: string[]
  partials: string[]
  namespaces: string[]
}

/** Pids and command lines of live processes whose environment holds `mark`. */
export const processesMarked = (mark: string): string[] => {
  const out: string[] = []
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').includes(mark)) continue
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue // exited, not yet waited for
      out.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`)
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out
}

const partialsIn = (dir: string, depth = 2): string[] => {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (/^\..+\.(partial|tmp)$/.test(e.name)) return [p]
    return e.isDirectory() && depth > 0 ? partialsIn(p, depth - 1) : []
  })
}

/** Namespaces of runs: `netsim-<run id>-...`, restricted to the run ids given (null: any). */
const namespacesOf = (runIds: readonly string[] | null): string[] => {
  const r = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  if (r.status !== 0) return []
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith('netsim-') && (runIds === null || runIds.some((id) => n.includes(id))))
}

export const leftovers = (o: { mark: string; runsDir: string; reportsDir: string; runIds?: readonly string[] }): Leftovers => ({
  processes: processesMarked(o.mark),
  runDirs: existsSync(o.runsDir) ? readdirSync(o.runsDir) : [],
  partials: partialsIn(o.reportsDir),
  namespaces: o.runIds === undefined ? [] : namespacesOf(o.runIds),
})

export const NOTHING: Leftovers = { processes: [], runDirs: [], partials: [], namespaces: [] }
