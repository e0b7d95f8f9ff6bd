import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, basename } from 'node:path'

/**
 * A report folder appears whole or not at all: files are written into a hidden sibling
 * (`.<name>.partial`) that is renamed into place at the end. A crash leaves only the hidden
 * folder, which the next write of the same name removes.
 */
export class AtomicDir {
  readonly final: string
  readonly partial: string

  constructor(final: string) {
    this.final = final
    this.partial = join(dirname(final), `.${basename(final)}.partial`)
    rmSync(this.partial, { recursive: true, force: true })
    mkdirSync(this.partial, { recursive: true })
  }

  write(name: string, content: string): void {
    writeFileSync(join(this.partial, name), content)
  }

  commit(): string {
    rmSync(this.final, { recursive: true, force: true })
    renameSync(this.partial, this.final)
    return this.final
  }

  abandon(): void {
    rmSync(this.partial, { recursive: true, force: true })
  }
}

/** One file, atomically: write a temp file beside it, then rename. */
export const writeFileAtomic = (file: string, content: string): void => {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  writeFileSync(tmp, content)
  renameSync(tmp, file)
}
