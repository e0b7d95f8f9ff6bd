import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, totalmem, platform, arch, release } from 'node:os'
import { natsServerVersion } from '../nats/find-binary.ts'

const require = createRequire(import.meta.url)
const pkgVersion = (spec: string): string => {
  try {
    return (JSON.parse(readFileSync(require.resolve(spec), 'utf8')) as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/** Versions and host facts that go into run.json, so two runs can be told apart. */
export const versions = (natsServerBin: string) => ({
  netsim: (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  node: process.versions.node,
  nats_server: natsServerVersion(natsServerBin),
  nats_js: pkgVersion('@nats-io/transport-node/package.json'),
})

export const hostInfo = () => ({
  cpus: cpus().length,
  cpu_model: cpus()[0]?.model ?? 'unknown',
  memory_mb: Math.round(totalmem() / 2 ** 20),
  platform: platform(),
  arch: arch(),
  kernel: release(),
})
