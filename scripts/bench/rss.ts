import { readFileSync } from 'node:fs'

/** Resident set size of a process in KB (VmRSS), 0 when it is gone. */
export const rssKb = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : 0
  } catch {
    return 0
  }
}
