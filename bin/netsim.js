#!/usr/bin/env node
// The `netsim` command (package.json "bin"). Plain JavaScript that any Node runs, so that an
// old runtime gets a sentence instead of ERR_UNKNOWN_FILE_EXTENSION: netsim is TypeScript run
// by Node's own type stripping, on by default from Node 22.18. Under an older Node it re-runs
// itself with the runtime `npm ci` pins (the `node` dev dependency), else says what to do.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const main = join(root, 'sim', 'cli', 'main.ts')
const [major, minor] = process.versions.node.split('.').map(Number)
const fresh = major > 22 || (major === 22 && minor >= 18)

if (fresh) {
  await import(main)
} else {
  const pinned = join(root, 'node_modules', 'node', 'bin', 'node')
  if (!existsSync(pinned)) {
    process.stderr.write(
      `netsim: needs Node 22.18 or newer, and this is Node ${process.versions.node}.\n` +
        `  Run \`npm ci\` in ${root} (it installs the pinned Node 22 that \`npm run netsim\` uses), or install Node 22 LTS.\n`,
    )
    process.exit(69)
  }
  const r = spawnSync(pinned, ['--disable-warning=ExperimentalWarning', main, ...process.argv.slice(2)], { stdio: 'inherit' })
  if (r.error) {
    process.stderr.write(`netsim: cannot start ${pinned}: ${r.error.message}\n`)
    process.exit(69)
  }
  // a signal that ended the child ends us the same way (Ctrl-C reaches both: same process group)
  process.exit(r.status ?? (r.signal === 'SIGINT' ? 130 : 1))
}
