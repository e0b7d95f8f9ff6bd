import { run } from '../../platform/exec.ts'
import type { NetnsTools } from './tools.ts'
import { waitUntilDead } from '../../platform/run-dir.ts'

/** Namespace-level commands shared by the backend's dispose and by reap. */

const T = { timeoutMs: 10_000 }

/** Every namespace name `ip netns` knows (/run/netns). */
export const listNamespaces = async (tools: Pick<NetnsTools, 'ip'>): Promise<string[]> => {
  const { stdout } = await run(tools.ip, ['netns', 'list'], T)
  // Lines look like `name` or `name (id: 3)`.
  return stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '')
}

/** Pids of processes inside a namespace. */
export const pidsIn = async (tools: Pick<NetnsTools, 'ip'>, netns: string): Promise<number[]> => {
  try {
    const { stdout } = await run(tools.ip, ['netns', 'pids', netns], T)
    return stdout
      .split(/\s+/)
      .filter((s) => /^\d+$/.test(s))
      .map(Number)
  } catch {
    return []
  }
}

/**
 * Kills whatever still runs inside the namespaces (a process keeps its namespace, veth and all,
 * alive after the name is deleted) and deletes them. Returns the pids killed. Names already gone
 * are skipped; a failure to delete one does not stop the others, and is rethrown at the end.
 */
export const removeNamespaces = async (tools: Pick<NetnsTools, 'ip'>, names: string[]): Promise<number[]> => {
  const killed: number[] = []
  const errors: unknown[] = []
  const existing = new Set(await listNamespaces(tools))
  for (const netns of names) {
    if (!existing.has(netns)) continue
    const inside: number[] = []
    for (const pid of await pidsIn(tools, netns)) {
      if (pid === process.pid) continue
      try {
        process.kill(pid, 'SIGKILL') // also ends a SIGSTOPped process
        inside.push(pid)
      } catch {
        // gone meanwhile
      }
    }
    waitUntilDead(inside) // delivered asynchronously: "removed" should mean gone
    killed.push(...inside)
    try {
      await run(tools.ip, ['netns', 'delete', netns], T)
    } catch (e) {
      errors.push(e)
    }
  }
  if (errors.length > 0) throw errors[0]
  return killed
}
