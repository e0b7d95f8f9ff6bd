import { readFileSync } from 'node:fs'

/**
 * A process told apart from a later one that got the same pid: its pid and its start time
 * (field 22 of /proc/<pid>/stat, in clock ticks since boot). Pids are global on the machine
 * (unlike $TMPDIR), so any netsim process can tell whether another's recorded owner still runs.
 */
export interface ProcessIdentity {
  pid: number
  start: string | null
}

/** Field 22 of /proc/<pid>/stat, or null when there is no such process. */
export const procStart = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces; fields after it follow the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

export const selfIdentity = (): ProcessIdentity => ({ pid: process.pid, start: procStart(process.pid) })

/** The same process still runs (not a recycled pid). */
export const identityAlive = (id: ProcessIdentity): boolean => {
  const start = procStart(id.pid)
  return start !== null && start === id.start
}
