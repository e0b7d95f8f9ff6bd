import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { NetsimError } from '../core/errors.ts'

/**
 * Whether a run is alive, decided the same way by every netsim process on the machine, whatever
 * its $TMPDIR (docs/development.md, "Leftovers and reaping"). A live run listens on the abstract
 * unix socket `netsim-run-<run-id>`: abstract sockets have no file to leave behind, the kernel
 * closes one the instant its process dies (kill -9 included), and every process of the same
 * network namespace sees them all in /proc/net/unix. The run's owner record in its temp dir
 * alone could not do this: a reaper with another $TMPDIR does not see it, and took a live run's
 * namespaces for an orphan's.
 *
 * The harness process holds the socket (it runs in the host's network namespace, as every
 * reaper does); Node opens it close-on-exec, so the servers and agents it starts do not inherit
 * it and cannot keep a dead run looking alive.
 */
const NAME_PREFIX = 'netsim-run-'

/** Run ids with a live run lock, read from /proc/net/unix (abstract names appear as `@name`). */
export const lockedRunIds = (): Set<string> => {
  const out = new Set<string>()
  let text: string
  try {
    text = readFileSync('/proc/net/unix', 'utf8')
  } catch {
    return out
  }
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf(` @${NAME_PREFIX}`)
    if (at !== -1) out.add(line.slice(at + 2 + NAME_PREFIX.length).trim())
  }
  return out
}

export const runLocked = (runId: string): boolean => lockedRunIds().has(runId)

export interface RunLock {
  release(): Promise<void>
}

/** Takes the run's lock: from here until release (or the process's death) the run counts as alive. */
export const holdRunLock = async (runId: string): Promise<RunLock> => {
  const server: Server = createServer((s) => s.destroy())
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new NetsimError('E_RUN_LOCK', `run id ${runId} is already held by a live run`)
          : new NetsimError('E_RUN_LOCK', `cannot take the run lock of ${runId}: ${err.code ?? err.message}`),
      ),
    )
    server.listen({ path: `\0${NAME_PREFIX}${runId}` }, () => resolve())
  })
  server.unref() // the lock never keeps the process alive on its own
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
