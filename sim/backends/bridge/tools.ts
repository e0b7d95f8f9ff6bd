import { findBinary } from '../../platform/exec.ts'

/** The system binaries the netns backend drives, by path (a non-root PATH often lacks /usr/sbin). */
export interface NetnsTools {
  ip: string
  nft: string
  ss: string
  sysctl: string
}

const PACKAGE: Record<keyof NetnsTools, string> = { ip: 'iproute2', nft: 'nftables', ss: 'iproute2', sysctl: 'procps' }

export type ToolsLookup = { ok: true; tools: NetnsTools } | { ok: false; missing: (keyof NetnsTools)[]; packages: string[] }

export const findNetnsTools = (env: NodeJS.ProcessEnv = process.env): ToolsLookup => {
  const found: Partial<NetnsTools> = {}
  const missing: (keyof NetnsTools)[] = []
  for (const name of Object.keys(PACKAGE) as (keyof NetnsTools)[]) {
    const p = findBinary(name, env)
    if (p === null) missing.push(name)
    else found[name] = p
  }
  if (missing.length > 0) return { ok: false, missing, packages: [...new Set(missing.map((m) => PACKAGE[m]))] }
  return { ok: true, tools: found as NetnsTools }
}
