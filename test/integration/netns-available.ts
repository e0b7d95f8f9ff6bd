import { execFileSync } from 'node:child_process'
import { netnsAvailable } from '../../sim/backends/netns/netns-available.ts'
import { findBinary } from '../../sim/platform/exec.ts'
import { natsServerBin } from './nats-available.ts'

/**
 * Runs on the netns backend need root, iproute2, nftables and nats-server: skip, with the
 * reason printed, where any is missing.
 */
export const skipWithoutNetns = async (): Promise<{ skip: string } | Record<string, never>> => {
  const avail = await netnsAvailable()
  if (!avail.ok) return { skip: `netns backend unavailable: ${avail.reason} (${avail.hint})` }
  if (natsServerBin() === null) return { skip: 'nats-server not found (run `npm run setup` or set NATS_SERVER_BIN)' }
  return {}
}

/** The names `ip netns list` shows that belong to a run. */
export const namespacesOfRun = (runId: string): string[] =>
  execFileSync(findBinary('ip') ?? 'ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n.includes(runId))

/** The namespace a process is in, by name (`ip netns identify`), or '' for the root one. */
export const namespaceOf = (pid: number): string =>
  execFileSync(findBinary('ip') ?? 'ip', ['netns', 'identify', String(pid)], { encoding: 'utf8' }).trim()
