import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { cpus, totalmem, platform, arch, release } from 'node:os'
import { natsServerVersion } from '../platform/nats-server-binary.ts'

const require = createRequire(import.meta.url)
const pkgVersion = (spec: string): string => {
  try {
    return (JSON.parse(readFileSync(require.resolve(spec), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** A package whose exports hide its package.json: found through its entry point. */
const pkgVersionByEntry = (name: string): string => {
  try {
    let dir = dirname(require.resolve(name))
    while (dir !== dirname(dir)) {
      const file = join(dir, 'package.json')
      if (existsSync(file)) {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
        if (pkg.name === name) return pkg.version ?? 'unknown'
      }
      dir = dirname(dir)
    }
  } catch {
    // not installed
  }
  return 'unknown'
}

/** Versions and host facts that go into run.json, so two runs can be told apart. */
export const versions = (natsServerBin: string | null, transport: string = 'nats') => ({
  netsim: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  node: process.versions.node,
  nats_server: natsServerBin === null ? null : natsServerVersion(natsServerBin),
  nats_js: pkgVersion('@nats-io/transport-node/package.json'),
  ...(transport === 'libp2p' ? { libp2p: pkgVersionByEntry('libp2p'), gossipsub: pkgVersionByEntry('@libp2p/gossipsub') } : {}),
})

export const hostInfo = () => ({
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_mb: Math.round(totalmem() / 2 ** 20),
  platform: platform(),
  arch: arch(),
  kernel: release(),
})
