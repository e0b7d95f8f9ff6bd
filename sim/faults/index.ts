import { NetsimError } from '../core/errors.ts'
import { discover } from '../platform/discover.ts'
import type { FaultType, LinkFaultType, ProcessFaultType } from './fault-type.ts'

export type { FaultType, LinkFaultType, ProcessFaultType, Requirement, FaultParam } from './fault-type.ts'

/** This folder's files that are not fault types. */
const HELPERS = ['index.ts', 'fault-type.ts', 'apply-fault.ts', 'fault-requirements.ts']

const isFaultType = (v: unknown): v is FaultType =>
  typeof v === 'object' && v !== null && 'name' in v && 'acts' in v && ((v as FaultType).acts === 'process' || (v as FaultType).acts === 'link')

/** The order names are listed in (errors, docs): the usual ones first; any other follows by name. */
const ORDER = ['kill', 'stop', 'freeze', 'lame-duck', 'blackhole', 'reset', 'latency', 'bandwidth', 'down']
const rank = (n: string): number => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length)

/**
 * Every fault type, by name: each file of this folder exports one (kill.ts, blackhole.ts...).
 * Process faults first, then link faults.
 */
const found = await discover(new URL('./', import.meta.url), HELPERS, isFaultType)
const byName = new Map<string, FaultType>()
const order = (a: FaultType, b: FaultType) =>
  a.acts !== b.acts ? (a.acts === 'process' ? -1 : 1) : rank(a.name) - rank(b.name) || a.name.localeCompare(b.name)
for (const f of [...found].sort(order)) {
  if (byName.has(f.name)) throw new Error(`two fault types are named ${f.name}`)
  byName.set(f.name, f)
}

export const FAULTS: ReadonlyMap<string, FaultType> = byName
export const FAULT_NAMES: readonly string[] = [...byName.keys()]
export const PROCESS_FAULT_NAMES: readonly string[] = FAULT_NAMES.filter((n) => byName.get(n)?.acts === 'process')
export const LINK_FAULT_NAMES: readonly string[] = FAULT_NAMES.filter((n) => byName.get(n)?.acts === 'link')

export const isFaultName = (s: string): boolean => byName.has(s)
export const isLinkFault = (name: string): boolean => byName.get(name)?.acts === 'link'

/** The fault type of that name; E_CONFIG listing the known ones when there is none. */
export const faultType = (name: string): FaultType => {
  const f = byName.get(name)
  if (f === undefined) throw new NetsimError('E_CONFIG', `unknown fault type "${name}"; known: ${FAULT_NAMES.join(', ')}`)
  return f
}

export const processFault = (name: string): ProcessFaultType => {
  const f = faultType(name)
  if (f.acts !== 'process') throw new NetsimError('E_CONFIG', `${name} acts on links, not on an orchestrator`)
  return f
}

export const linkFault = (name: string): LinkFaultType => {
  const f = faultType(name)
  if (f.acts !== 'link') throw new NetsimError('E_CONFIG', `${name} acts on an orchestrator, not on links`)
  return f
}
