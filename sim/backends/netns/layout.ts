import { allHosts, BackendError, type HostPlan } from '../../core/hosts.ts'
import { assertRunId, RUN_ID_PATTERN } from '../../platform/run-owner.ts'

/**
 * Where every host of a netns run lives (pure: names and addresses only).
 *
 * - Namespaces: `netsim-<runId>-<short>`, short `o<i>` for orchestrator i, `g<i>` for group i,
 *   `br` for the namespace that holds the bridge. Short and index-based, so any host name
 *   works and `reap` can parse the run id back out.
 * - Interfaces: each host namespace has one veth end, `eth0`; its peer in the bridge namespace
 *   is `v<short>`, enslaved to bridge `br0`. Names only need to be unique inside their own
 *   namespace, and all fit IFNAMSIZ (15 characters).
 * - Addresses: 127.200.0.0/16, host n (orchestrators first, then groups) gets the n+1-th
 *   address. Loopback-range addresses work between namespaces with route_localnet=1 (see
 *   FINDINGS.md), keep every address the run uses inside 127.0.0.0/8, and exist only inside
 *   the run's namespaces: nothing is routed toward the host's interfaces, and separate runs
 *   may use the same addresses because each has its own bridge.
 * - The bridge namespace holds the last address of the subnet on br0 itself: a vantage point
 *   inside the run's network that no cut filters (the harness's observer runs there).
 */
export const NS_PREFIX = 'netsim-'
export const BRIDGE = 'br0'
export const HOST_IF = 'eth0'
export const SUBNET = { base: [127, 200] as const, prefix: 16 }
/** 127.200.0.1 … 127.200.255.253 (…254 is the bridge namespace's own) */
export const MAX_HOSTS = 65_533
export const BRIDGE_ADDRESS = '127.200.255.254'
const IFNAMSIZ = 15

export interface HostLayout {
  host: string
  role: 'orchestrator' | 'group'
  short: string
  netns: string
  /** the veth end in the bridge namespace */
  bridgePort: string
  address: string
}

export interface NetnsLayout {
  runId: string
  bridgeNetns: string
  /** the bridge namespace's own address, on br0 */
  bridgeAddress: string
  hosts: HostLayout[]
}

export const netnsName = (runId: string, short: string): string => `${NS_PREFIX}${runId}-${short}`

/** The n-th address of the subnet (n from 0): 127.200.0.1, …, 127.200.1.0, … */
export const addressAt = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_HOSTS) throw new BackendError('E_BACKEND_PLAN', `host index ${n} is outside 0..${MAX_HOSTS - 1}`)
  const v = n + 1
  return `${SUBNET.base[0]}.${SUBNET.base[1]}.${v >> 8}.${v & 255}`
}

export const assertIfName = (name: string): void => {
  if (name.length === 0 || name.length > IFNAMSIZ || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new BackendError('E_BACKEND_PLAN', `interface name "${name}" must be 1-${IFNAMSIZ} characters of [A-Za-z0-9_.-]`)
  }
}

export const layoutFor = (plan: HostPlan): NetnsLayout => {
  assertRunId(plan.runId)
  allHosts(plan)
  if (plan.orchestrators.length + plan.groups.length > MAX_HOSTS) throw new BackendError('E_BACKEND_PLAN', `at most ${MAX_HOSTS} hosts fit one run`)
  const hosts: HostLayout[] = []
  const add = (host: string, role: HostLayout['role'], short: string) => {
    const bridgePort = `v${short}`
    assertIfName(bridgePort)
    hosts.push({ host, role, short, netns: netnsName(plan.runId, short), bridgePort, address: addressAt(hosts.length) })
  }
  plan.orchestrators.forEach((h, i) => add(h, 'orchestrator', `o${i}`))
  plan.groups.forEach((h, i) => add(h, 'group', `g${i}`))
  return { runId: plan.runId, bridgeNetns: netnsName(plan.runId, 'br'), bridgeAddress: BRIDGE_ADDRESS, hosts }
}

const OWN_NETNS = new RegExp(`^${NS_PREFIX}(${RUN_ID_PATTERN})-(br|[og]\\d+)$`)

/** The run id a namespace name carries, or null when it is not one of netsim's run namespaces. */
export const runIdOfNetns = (name: string): string | null => OWN_NETNS.exec(name)?.[1] ?? null
