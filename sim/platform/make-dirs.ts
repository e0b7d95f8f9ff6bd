import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'

/**
 * `mkdir -p` one level at a time. Node's `mkdirSync(p, { recursive: true })` never returns for
 * a path under /proc (it retries the parent forever, one core busy, deaf to signals); a plain
 * mkdir there fails at once with ENOENT. Returns the folders it created, outermost first.
 */
export const makeDirs = (dir: string, mode?: number): string[] => {
  const missing: string[] = []
  for (let p = resolve(dir); !existsSync(p); p = dirname(p)) {
    missing.unshift(p)
    if (dirname(p) === p) break
  }
  for (const m of missing) mkdirSync(m, mode === undefined ? undefined : { mode })
  return missing
}

/**
 * Checks, before a run starts, that `dir` (given by `what`, e.g. `--out`) is a folder netsim
 * can create and write: every ancestor that exists is a folder, the missing ones can be made,
 * and a file can be written in it. E_USAGE naming the flag and the path otherwise, so a bad
 * --out costs nothing instead of the whole run. Folders it had to make stay (the run writes
 * there next).
 */
export const ensureWritableDir = (dir: string, what: string): string => {
  const abs = resolve(dir)
  const fail = (why: string) => new NetsimError('E_USAGE', `${what} ${dir}: ${why}; give a folder you can write to`)
  let existing = abs
  while (!existsSync(existing)) existing = dirname(existing)
  if (!statSync(existing).isDirectory()) throw fail(existing === abs ? 'is a file, not a folder' : `${existing} is a file, not a folder`)
  try {
    makeDirs(abs)
  } catch (e) {
    throw fail(`cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  const probe = join(abs, `.netsim-write-probe-${process.pid}`)
  try {
    writeFileSync(probe, '')
    rmSync(probe, { force: true })
  } catch (e) {
    throw fail(`cannot write in it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`)
  }
  return abs
}
