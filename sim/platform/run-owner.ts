import { runAlive, RUN_ID_PATTERN } from './run-dir.ts'
import { BackendError } from '../core/hosts.ts'

export { RUN_ID_PATTERN }

const RUN_ID = new RegExp(`^${RUN_ID_PATTERN}$`)

export const assertRunId = (runId: string): void => {
  if (!RUN_ID.test(runId)) {
    throw new BackendError('E_BACKEND_PLAN', `run id "${runId}" is not of the form 20261127-210012-675819 (newRunId())`)
  }
}

/** Whether the run is gone: no run lock, no live owner record (run-dir.ts `runAlive`). */
export const ownerGone = (runId: string): boolean => !runAlive(runId)

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
