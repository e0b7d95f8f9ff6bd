import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runsBaseDir } from '../run/run-dir.ts'
import { BackendError } from './backend.ts'

/** The run id format of `sim/run/run-dir.ts` `newRunId()`: `20261127-210012-675819`. */
export const RUN_ID_PATTERN = '\\d{8}-\\d{6}-[0-9a-f]{6}'
const RUN_ID = new RegExp(`^${RUN_ID_PATTERN}$`)

export const assertRunId = (runId: string): void => {
  if (!RUN_ID.test(runId)) {
    throw new BackendError('E_BACKEND_PLAN', `run id "${runId}" is not of the form 20261127-210012-675819 (newRunId())`)
  }
}

/** Field 22 of /proc/<pid>/stat: the process's start time, which tells a recycled pid apart. */
const procStart = (pid: number): string | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

/**
 * Whether the process that owns a run is gone: its run dir (run-dir.ts `createRunDir`) has no
 * owner record, or the recorded pid is dead or recycled. The same test as run-dir.ts's
 * (not exported there); the lead's `reap()` may pass its own instead.
 */
export const ownerGone = (runId: string): boolean => {
  try {
    const owner = JSON.parse(readFileSync(join(runsBaseDir(), runId, 'owner.json'), 'utf8')) as { pid: number; start: string | null }
    const start = procStart(owner.pid)
    return start === null || start !== owner.start
  } catch {
    return true
  }
}

/**
 * Which runs a reap removes: the one named, or every run whose owner is gone.
 * `isOrphan` defaults to `ownerGone`.
 */
export interface ReapFilter {
  runId?: string
  isOrphan?: (runId: string) => boolean
}

export const selectsRun = (filter: ReapFilter, runId: string): boolean =>
  filter.runId !== undefined ? runId === filter.runId : (filter.isOrphan ?? ownerGone)(runId)
