import { readdirSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The modules of a registry folder (sim/faults, sim/steps), loaded by listing the folder: a new
 * fault type or step kind is a new file and nothing else (Go's `init()` registration, which
 * toxiproxy uses for its toxics). Every export that `is` accepts is returned, ordered by file
 * name so the order never depends on the file system. Files in `skip` (the registry's own
 * helpers) and tests are not loaded.
 */
export const discover = async <T>(folder: URL, skip: readonly string[], is: (v: unknown) => v is T): Promise<T[]> => {
  const dir = fileURLToPath(folder)
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !skip.includes(basename(f)))
    .sort()
  const found: T[] = []
  for (const f of files) {
    const mod = (await import(new URL(f, folder).href)) as Record<string, unknown>
    for (const v of Object.values(mod)) if (is(v)) found.push(v)
  }
  return found
}
