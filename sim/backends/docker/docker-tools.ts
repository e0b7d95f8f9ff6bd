import { findBinary } from '../../platform/exec.ts'
import type { NetnsTools } from '../bridge/tools.ts'

/**
 * The system binaries the docker backend drives besides the engine: the netns tools for the
 * run's bridge namespace and cuts, nsenter to act inside a container's network namespace with
 * them (the images hold no tools and the containers no capabilities), ldd to find what the
 * images must hold.
 */
export interface DockerTools extends NetnsTools {
  nsenter: string
  ldd: string
}

const PACKAGE: Record<keyof DockerTools, string> = {
  ip: 'iproute2',
  nft: 'nftables',
  ss: 'iproute2',
  sysctl: 'procps',
  nsenter: 'util-linux',
  ldd: 'libc-bin',
}

export type DockerToolsLookup = { ok: true; tools: DockerTools } | { ok: false; missing: (keyof DockerTools)[]; packages: string[] }

export const findDockerTools = (env: NodeJS.ProcessEnv = process.env): DockerToolsLookup => {
  const found: Partial<DockerTools> = {}
  const missing: (keyof DockerTools)[] = []
  for (const name of Object.keys(PACKAGE) as (keyof DockerTools)[]) {
    const p = findBinary(name, env)
    if (p === null) missing.push(name)
    else found[name] = p
  }
  if (missing.length > 0) return { ok: false, missing, packages: [...new Set(missing.map((m) => PACKAGE[m]))] }
  return { ok: true, tools: found as DockerTools }
}
