import { BackendError } from '../../core/hosts.ts'

/**
 * The addresses of a run's private network, shared by the netns and docker backends (pure):
 *
 * - 127.200.0.0/16: host n (orchestrators first, then groups, then spare servers) gets the
 *   n+1-th address. Loopback-range addresses work between namespaces with route_localnet=1,
 *   keep every address the run uses inside 127.0.0.0/8, and exist only inside the run's
 *   namespaces: nothing is routed toward the machine's interfaces, and separate runs may use
 *   the same addresses because each has its own bridge.
 * - The bridge namespace holds the last address of the subnet on br0 itself: a vantage point
 *   inside the run's network that no cut filters (the harness's observer runs there).
 * - Interfaces: each host has one veth end, `eth0`; its peer in the bridge namespace is
 *   `v<short>`, enslaved to bridge `br0`. Names only need to be unique inside their own
 *   namespace, and all fit IFNAMSIZ (15 characters).
 */
export const BRIDGE = 'br0'
export const HOST_IF = 'eth0'
export const SUBNET = { base: [127, 200] as const, prefix: 16 }
/** 127.200.0.1 … 127.200.255.253 (…254 is the bridge namespace's own) */
export const MAX_HOSTS = 65_533
export const BRIDGE_ADDRESS = '127.200.255.254'
const IFNAMSIZ = 15

/** The n-th address of the subnet (n from 0): 127.200.0.1, …, 127.200.1.0, … */
export const addressAt = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n >= MAX_HOSTS) throw new BackendError('E_BACKEND_PLAN', `host index ${n} is outside 0..${MAX_HOSTS - 1}`)
  const v = n + 1
  return `${SUBNET.base[0]}.${SUBNET.base[1]}.${v >> 8}.${v & 255}`
}

/**
 * A fixed, locally administered MAC for an address: 02:00:7f:c8:XX:YY for 127.200.XX.YY. A
 * container that restarts gets a new network namespace and so a new veth; with a random MAC
 * every peer's ARP entry for its address would point at the old one until it expired (a
 * node did not reconnect within 15 s); with the same MAC the peers' neighbour caches stay right.
 */
export const macOf = (address: string): string =>
  '02:00:' +
  address
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join(':')

export const assertIfName = (name: string): void => {
  if (name.length === 0 || name.length > IFNAMSIZ || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw new BackendError('E_BACKEND_PLAN', `interface name "${name}" must be 1-${IFNAMSIZ} characters of [A-Za-z0-9_.-]`)
  }
}
