import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'
import { makeDirs } from './make-dirs.ts'
import { identityAlive, selfIdentity, type ProcessIdentity } from './process-identity.ts'

/**
 * A report folder appears whole or not at all: files are written into a hidden sibling
 * (`.<name>.<pid>.partial`) that is renamed into place at the end. The writer's pid in the name,
 * and its start time in `.writer.json` inside (so a recycled pid is not taken for it), tell a
 * crash's leftover from a write in progress, for any process: `reapPartials` removes the ones
 * whose writer is gone. The pid is in the name because a kill -9 can fall between the folder's
 * mkdir and the record's write.
 */
const WRITER = '.writer.json'

export class AtomicDir {
  readonly final: string
  readonly partial: string

  constructor(final: string) {
    this.final = final
    this.partial = join(dirname(final), `.${basename(final)}.${process.pid}.partial`)
    rmSync(this.partial, { recursive: true, force: true })
    makeDirs(this.partial)
    writeFileSync(join(this.partial, WRITER), JSON.stringify(selfIdentity()))
  }

  write(name: string, content: string): void {
    writeFileSync(join(this.partial, name), content)
  }

  commit(): string {
    rmSync(join(this.partial, WRITER), { force: true })
    rmSync(this.final, { recursive: true, force: true })
    renameSync(this.partial, this.final)
    return this.final
  }

  abandon(): void {
    rmSync(this.partial, { recursive: true, force: true })
  }
}

/** One file, atomically: write a temp file beside it (`.<name>.<pid>.tmp`), then rename. */
export const writeFileAtomic = (file: string, content: string): void => {
  makeDirs(dirname(file))
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  writeFileSync(tmp, content)
  renameSync(tmp, file)
}

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The writer of a partial folder `.<name>.<pid>.partial` is gone: its pid is, or now names another process. */
const writerGone = (partial: string, pid: number): boolean => {
  try {
    return !identityAlive(JSON.parse(readFileSync(join(partial, WRITER), 'utf8')) as ProcessIdentity)
  } catch {
    return !pidAlive(pid) // killed before it wrote the record
  }
}

/**
 * Removes what killed writers left in `dir` and its sub-folders one level down (a reports
 * folder: runs, regress/, compare/, baselines/): `.<name>.<pid>.partial` folders whose writer is
 * gone and `.<name>.<pid>.tmp` files whose pid is gone. Returns the paths removed.
 */
export const reapPartials = (dir: string): string[] => {
  const removed: string[] = []
  const scan = (d: string, depth: number) => {
    let entries: string[]
    try {
      entries = readdirSync(d)
    } catch {
      return
    }
    for (const name of entries) {
      const p = join(d, name)
      const partial = /^\..+\.(\d+)\.partial$/.exec(name)
      const tmp = /^\..+\.(\d+)\.tmp$/.exec(name)
      if (partial && writerGone(p, Number(partial[1]))) {
        rmSync(p, { recursive: true, force: true })
        removed.push(p)
      } else if (tmp && !pidAlive(Number(tmp[1]))) {
        rmSync(p, { force: true })
        removed.push(p)
      } else if (depth > 0 && !name.startsWith('.')) {
        try {
          if (statSync(p).isDirectory()) scan(p, depth - 1)
        } catch {
          // gone meanwhile
        }
      }
    }
  }
  scan(dir, 1)
  return removed
}
