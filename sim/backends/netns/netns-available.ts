import { settle } from '../../core/abandon.ts'
import { randomBytes } from 'node:crypto'
import type { Availability } from '../../core/hosts.ts'
import { run } from '../../platform/exec.ts'
import { RULESET } from '../nft-rules.ts'
import { findNetnsTools, type NetnsTools } from '../bridge/tools.ts'

/**
 * Whether this machine can run the netns backend, tried for real: Linux, root, the binaries,
 * then a throw-away namespace (`netsim-probe-…`, not a run's name, so reap never mistakes it)
 * with a veth pair and the cut rules loaded, removed again. Each step has a timeout.
 */
export const netnsAvailable = async (opts: { timeoutMs?: number } = {}): Promise<Availability & { tools?: NetnsTools }> => {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `network namespaces need Linux (this is ${process.platform})`, hint: 'use --backend process, or docker' }
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return { ok: false, reason: 'creating network namespaces needs root', hint: 'run as root (sudo), or use --backend process' }
  }
  const lookup = findNetnsTools()
  if (!lookup.ok) {
    return {
      ok: false,
      reason: `${lookup.missing.join(', ')} not found on the PATH or in /usr/sbin, /sbin`,
      hint: `apt-get install -y ${lookup.packages.join(' ')}`,
    }
  }
  const { tools } = lookup
  const timeoutMs = opts.timeoutMs ?? 5_000
  const probe = `netsim-probe-${process.pid}-${randomBytes(3).toString('hex')}`
  let created = false
  try {
    await run(tools.ip, ['netns', 'add', probe], { timeoutMs })
    created = true
    await run(tools.ip, ['-n', probe, 'link', 'add', 'pa', 'type', 'veth', 'peer', 'name', 'pb'], { timeoutMs })
    await run(tools.ip, ['netns', 'exec', probe, tools.nft, '-f', '-'], { timeoutMs, input: RULESET })
    return { ok: true, tools }
  } catch (e) {
    const step = created ? 'a veth pair or the nftables rules in a new namespace' : 'a network namespace'
    return {
      ok: false,
      reason: `creating ${step} failed: ${(e as Error).message}`,
      hint: 'inside a container this needs --privileged (or CAP_SYS_ADMIN and CAP_NET_ADMIN); the kernel needs veth, bridge and nf_tables. Else use --backend process',
    }
  } finally {
    if (created)
      await settle(run(tools.ip, ['netns', 'delete', probe], { timeoutMs }), 'the probe namespace is reaped with the next run if its delete fails')
  }
}
