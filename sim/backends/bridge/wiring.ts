import { run } from '../../platform/exec.ts'
import { BRIDGE, BRIDGE_ADDRESS, SUBNET } from './addresses.ts'
import type { NetnsTools } from './tools.ts'

/**
 * The commands that wire a run's private network (docs/backends.md), shared by the netns and
 * docker backends: the bridge namespace with `br0`, and a loopback-range address on a host's
 * interface. Nothing here touches the root namespace.
 */
const T = { timeoutMs: 10_000 }

/**
 * A namespace's interface with a loopback-range address: route_localnet on it (ARP and routing
 * otherwise refuse such addresses on the wire), and lo narrowed to 127.0.0.1/32, since the usual
 * 127.0.0.0/8 on lo would make every 127.x address, the peers' included, local. IPv6 is off (no
 * neighbour-discovery chatter, no second address family to filter).
 */
export const ROUTE_LOCALNET_SYSCTLS = [
  'net.ipv4.conf.all.route_localnet=1',
  'net.ipv4.conf.default.route_localnet=1',
  'net.ipv6.conf.all.disable_ipv6=1',
  'net.ipv6.conf.default.disable_ipv6=1',
] as const

/** `ip -batch` lines that give `ifname` its address and narrow lo. */
export const addressCommands = (ifname: string, address: string): string[] => [
  'link set lo up',
  'addr del 127.0.0.1/8 dev lo',
  'addr add 127.0.0.1/32 dev lo',
  `addr add ${address}/${SUBNET.prefix} dev ${ifname}`,
  `link set ${ifname} up`,
]

export const batch = (cmds: string[]): string => cmds.map((c) => c + '\n').join('')

/** Addresses `ifname` inside the named namespace `netns` (sysctls first: the interface's own route_localnet too). */
export const addressInNetns = async (tools: Pick<NetnsTools, 'ip' | 'sysctl'>, netns: string, ifname: string, address: string): Promise<void> => {
  await run(tools.ip, ['netns', 'exec', netns, tools.sysctl, '-q', '-w', ...ROUTE_LOCALNET_SYSCTLS, `net.ipv4.conf.${ifname}.route_localnet=1`], T)
  await run(tools.ip, ['-n', netns, '-batch', '-'], { ...T, input: batch(addressCommands(ifname, address)) })
}

/** The run's bridge namespace: `br0`, up, holding the subnet's last address (the observer's vantage point). */
export const createBridgeNamespace = async (tools: Pick<NetnsTools, 'ip' | 'sysctl'>, bridgeNetns: string): Promise<void> => {
  await run(tools.ip, ['netns', 'add', bridgeNetns], T)
  await run(tools.ip, ['-n', bridgeNetns, '-batch', '-'], { ...T, input: batch([`link add ${BRIDGE} type bridge`, `link set ${BRIDGE} up`]) })
  await addressInNetns(tools, bridgeNetns, BRIDGE, BRIDGE_ADDRESS)
}
