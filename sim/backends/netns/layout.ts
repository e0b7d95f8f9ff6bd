import { allHosts, BackendError, type HostPlan } from '../../core/hosts.ts'
import { assertRunId, RUN_ID_PATTERN } from '../../platform/run-owner.ts'
import { addressAt, assertIfName, BRIDGE, BRIDGE_ADDRESS, HOST_IF, MAX_HOSTS, SUBNET } from '../bridge/addresses.ts'

/**
 * Where every host of a netns run lives (pure: names and addresses only).
 *
 * - Namespaces: `netsim-<runId>-<short>`, short `o<i>` for orchestrator i, `g<i>` for group i,
 *   `br` for the namespace that holds the bridge. Short and index-based, so any host name
 *   works and `reap` can parse the run id back out.
 * - Interfaces and addresses: the run network's (bridge/addresses.ts): `eth0` in each host's
 *   namespace, its peer `v<short>` on `br0`, 127.200.x.y by position.
 */
export { addressAt, assertIfName, BRIDGE, BRIDGE_ADDRESS, HOST_IF, MAX_HOSTS, SUBNET }
export const NS_PREFIX = 'netsim-'

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
