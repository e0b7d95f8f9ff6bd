import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { NetsimError } from '../core/errors.ts'
import { findBinary, isExecutable, run } from '../platform/exec.ts'

/**
 * The nats.go reference client (goref/, Go; docs/calibration.md), built on this machine from
 * Debian's packages: the Go toolchain (golang-go) and nats.go's sources
 * (golang-github-nats-io-go-nats-dev, under /usr/share/gocode), in GOPATH mode, offline. A
 * build is cached per hash of goref's sources, the Go version and nats.go's sources, so a run
 * finds it built: the first build of a machine takes ~10 s (the standard library without cgo),
 * later ones ~1 s, an unchanged one none.
 */
export interface GorefBinary {
  path: string
  /** the versions it was built with, for run.json and the calibration's output */
  versions: { nats_go: string; go: string }
}

const SOURCE_DIR = fileURLToPath(new URL('./goref/', import.meta.url))

export const GOREF_INSTALL_HINT =
  "Install Go and Debian's nats.go sources with `npm run setup` (as root on Debian it runs `apt-get install -y golang-go golang-github-nats-io-go-nats-dev`), " +
  'or `sudo apt-get install golang-go golang-github-nats-io-go-nats-dev`.'

/** Where builds are kept: NETSIM_CACHE_DIR/goref, else the checkout's .cache/goref (gitignored). */
export const gorefCacheDir = (env: NodeJS.ProcessEnv = process.env): string =>
  env.NETSIM_CACHE_DIR ? join(env.NETSIM_CACHE_DIR, 'goref') : fileURLToPath(new URL('../../.cache/goref/', import.meta.url))

interface Toolchain {
  go: string
  /** Debian's GOPATH, holding nats.go and what it imports */
  gopath: string
  natsGoSource: string
  natsGoVersion: string
}

const unavailable = (what: string): NetsimError =>
  new NetsimError('E_GOREF_UNAVAILABLE', `the nats.go reference client needs ${what}. ${GOREF_INSTALL_HINT}`)

/** The Go toolchain and Debian's nats.go; E_GOREF_UNAVAILABLE naming what is missing. */
export const findToolchain = (env: NodeJS.ProcessEnv = process.env): Toolchain => {
  const go = env.NETSIM_GO ?? findBinary('go', env)
  if (go === null || !isExecutable(go)) throw unavailable(`a Go toolchain (${env.NETSIM_GO ?? 'go on the PATH'})`)
  const gopath = env.NETSIM_GOPATH ?? '/usr/share/gocode'
  const natsGoSource = join(gopath, 'src', 'github.com', 'nats-io', 'nats.go', 'nats.go')
  if (!existsSync(natsGoSource)) throw unavailable(`Debian's nats.go sources (${natsGoSource})`)
  const natsGoVersion = /^\s*Version\s*=\s*"([^"]+)"/m.exec(readFileSync(natsGoSource, 'utf8'))?.[1]
  if (natsGoVersion === undefined) throw unavailable(`a nats.go whose version can be read (${natsGoSource} names none)`)
  return { go, gopath, natsGoSource, natsGoVersion }
}

/** The hash a build is cached under: goref's sources, the Go version, nats.go's sources. */
export const sourceHash = (goVersion: string, natsGoSource: string): string => {
  const h = createHash('sha256').update(`goref\0${goVersion}\0`)
  for (const f of readdirSync(SOURCE_DIR)
    .filter((f) => f.endsWith('.go'))
    .sort())
    h.update(`${f}\0`)
      .update(readFileSync(join(SOURCE_DIR, f)))
      .update('\0')
  return h.update(readFileSync(natsGoSource)).digest('hex').slice(0, 16)
}

const built = new Map<string, Promise<GorefBinary>>()

/** The reference client for this machine: the cached build, else a fresh one (E_GOREF_UNAVAILABLE when it cannot be had). */
export const buildGoref = (env: NodeJS.ProcessEnv = process.env): Promise<GorefBinary> => {
  const key = `${env.NETSIM_GO ?? ''}|${env.NETSIM_GOPATH ?? ''}|${gorefCacheDir(env)}`
  let p = built.get(key)
  if (p === undefined) {
    p = build(env)
    built.set(key, p)
    p.catch(() => built.delete(key)) // a later call tries again (after `npm run setup`)
  }
  return p
}

const build = async (env: NodeJS.ProcessEnv): Promise<GorefBinary> => {
  const tc = findToolchain(env)
  const cache = gorefCacheDir(env)
  // GOPATH mode from Debian's sources: nothing is downloaded. cgo off: the binary needs no C
  // toolchain at build time and no libc at run time.
  const goEnv = { ...env, GOPATH: tc.gopath, GO111MODULE: 'off', GOFLAGS: '', CGO_ENABLED: '0', GOCACHE: join(cache, 'gocache') }
  const goVersion = (await run(tc.go, ['env', 'GOVERSION'], { env: goEnv, timeoutMs: 30_000 })).stdout.trim()
  const path = join(cache, `goref-${sourceHash(goVersion, tc.natsGoSource)}`)
  if (!isExecutable(path)) {
    mkdirSync(cache, { recursive: true })
    const tmp = `${path}.${process.pid}.tmp`
    try {
      await run(tc.go, ['build', '-trimpath', '-o', tmp, '.'], { cwd: SOURCE_DIR, env: goEnv, timeoutMs: 300_000 })
    } catch (e) {
      rmSync(tmp, { force: true })
      throw new NetsimError('E_GOREF_UNAVAILABLE', `building the nats.go reference client failed: ${(e as Error).message}`, { cause: e })
    }
    renameSync(tmp, path) // whole or not at all: a concurrent build renames the same bytes
    for (const old of readdirSync(cache)) if (/^goref-[0-9a-f]{16}$/.test(old) && join(cache, old) !== path) rmSync(join(cache, old), { force: true })
  }
  const versions = JSON.parse((await run(path, ['--version'], { timeoutMs: 10_000 })).stdout) as GorefBinary['versions']
  if (versions.nats_go !== tc.natsGoVersion)
    throw new NetsimError('E_GOREF_UNAVAILABLE', `the reference client reports nats.go ${versions.nats_go}, its sources say ${tc.natsGoVersion}`)
  return { path, versions }
}
