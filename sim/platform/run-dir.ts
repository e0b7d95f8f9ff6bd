import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { isNetsimError } from '../core/errors.ts'
import { Wait, waitFor } from '../core/wait.ts'
import { makeDirs } from './make-dirs.ts'
import { identityAlive, selfIdentity, type ProcessIdentity } from './process-identity.ts'
import { runLocked } from './run-lock.ts'

/**
 * Every run owns a private temp directory (mode 0700: server configs hold the token),
 * `$TMPDIR/netsim-runs/<run-id>/`, with an owner record. Every process a run starts carries the
 * run id on its command line, so the run's leftovers can be found in /proc even when the run
 * was killed before it could record them; `reap` removes the leftovers of runs whose owner is
 * gone.
 */
export const runsBaseDir = (): string => process.env.NETSIM_RUNS_DIR ?? join(tmpdir(), 'netsim-runs')

export const newRunId = (date = new Date()): string => {
  const p = (n: number) => String(n).padStart(2, '0')
  const stamp = `${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}-${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

/** The run id format of newRunId(): `20261127-210012-675819`. */
export const RUN_ID_PATTERN = '\\d{8}-\\d{6}-[0-9a-f]{6}'
const RUN_ID = new RegExp(`^${RUN_ID_PATTERN}$`)

export const createRunDir = (runId: string): string => {
  const dir = join(runsBaseDir(), runId)
  makeDirs(dir, 0o700)
  writeFileSync(join(dir, 'owner.json'), JSON.stringify(selfIdentity()))
  return dir
}

/** Whether the process that created a run dir still runs (the same pid, not a recycled one). */
export const ownerAlive = (dir: string): boolean => {
  try {
    return identityAlive(JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as ProcessIdentity)
  } catch {
    return false
  }
}

/**
 * A run counts as alive while it holds its run lock (run-lock.ts: seen by every process,
 * whatever its $TMPDIR) or its owner record names a live process (the record of a run dir
 * under this $TMPDIR). Either keeps a reaper's hands off.
 */
export const runAlive = (runId: string, dir = join(runsBaseDir(), runId)): boolean => runLocked(runId) || ownerAlive(dir)

/** Pids of processes (other than this one) whose command line names the run. */
export const processesOfRun = (runId: string): number[] => {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const pid = Number(entry)
    if (pid === process.pid) continue
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      if (cmdline.includes(runId)) pids.push(pid)
    } catch {
      // gone meanwhile
    }
  }
  return pids
}

/** Dead: no longer in /proc, or a zombie (exited, waiting for its new parent to reap it). */
const isDead = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /s, '')
      .startsWith('Z')
  } catch {
    return true
  }
}

/**
 * SIGKILLs every process of the run and waits (up to `waitMs`) until each is dead, so "reaped"
 * means gone: a SIGKILL is delivered asynchronously, and a check right after could still see
 * the process.
 */
export const killProcessesOfRun = async (runId: string, waitMs = 2000): Promise<number[]> => {
  const pids = processesOfRun(runId)
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL') // also ends a frozen (SIGSTOPped) process
    } catch {
      // already gone
    }
  }
  await waitUntilDead(pids, waitMs)
  return pids
}

/** Until every pid is dead (checked every 10 ms, at most `waitMs`); true when they all are. */
export const waitUntilDead = async (pids: readonly number[], waitMs = 2000): Promise<boolean> => {
  const dead = Wait.forCondition(
    `${pids.length} process(es) to die`,
    () => pids.filter((pid) => !isDead(pid)),
    (alive) => alive.length === 0,
    (alive) => `still alive: ${alive.join(' ')}`,
    10,
  )
  try {
    await waitFor(dead, { timeoutMs: waitMs })
    return true
  } catch (e) {
    if (isNetsimError(e, 'E_TIMEOUT')) return false
    throw e
  }
}

export interface ReapResult {
  runId: string
  killed: number[]
}

/**
 * Removes what killed runs left behind: their processes and temp dirs. Runs whose owner is
 * still alive are left alone unless named explicitly.
 */
export const reap = async (opts: { runId?: string } = {}): Promise<ReapResult[]> => {
  const base = runsBaseDir()
  let entries: string[]
  try {
    entries = readdirSync(base)
  } catch {
    return []
  }
  const results: ReapResult[] = []
  for (const runId of entries) {
    if (!RUN_ID.test(runId)) continue
    if (opts.runId !== undefined && runId !== opts.runId) continue
    const dir = join(base, runId)
    if (opts.runId === undefined && runAlive(runId, dir)) continue
    const killed = await killProcessesOfRun(runId)
    rmSync(dir, { recursive: true, force: true })
    results.push({ runId, killed })
  }
  return results
}
