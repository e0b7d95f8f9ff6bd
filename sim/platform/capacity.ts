import { readFileSync } from 'node:fs'
import { totalmem } from 'node:os'

/**
 * The most simulated nodes this machine can hold in one run, and why (docs/performance.md,
 * "How many nodes"). Refused before anything starts: past these bounds a run does not fail
 * cleanly, it runs out of memory minutes in (V8 aborts, exit 134) or out of ports or file
 * descriptors half way through its fleet.
 *
 * - memory: a node costs ~28–68 KB in its worker and about as much again in nats-server for its
 *   connection and subscriptions (measured: docs/performance.md); netsim budgets NODE_BUDGET
 *   per node out of three quarters of the machine's memory.
 * - ports: every node holds a TCP connection from one loopback address to an orchestrator, and
 *   one destination takes at most as many connections from one address as there are ephemeral
 *   ports (net.ipv4.ip_local_port_range); after a failover one survivor may hold them all.
 * - file descriptors: a nats-server holds a descriptor per client, and may hold every node;
 *   the limit (ulimit -n) is inherited by the servers netsim starts.
 */
export const NODE_BUDGET_BYTES = 256 * 1024
const FD_RESERVE = 256

export interface NodeLimit {
  nodes: number
  /** which bound it is and how to raise it */
  why: string
}

const ephemeralPorts = (): number | null => {
  try {
    const [lo, hi] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number)
    return lo !== undefined && hi !== undefined && hi >= lo ? hi - lo + 1 : null
  } catch {
    return null
  }
}

const openFilesLimit = (): number | null => {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'))
    const soft = line?.split(/\s{2,}/)[1]
    return soft === undefined || soft === 'unlimited' ? null : Number(soft)
  } catch {
    return null
  }
}

/** Every bound this machine sets, smallest first. */
export const nodeLimits = (): NodeLimit[] => {
  const mem = totalmem()
  const limits: NodeLimit[] = [
    {
      nodes: Math.floor((0.75 * mem) / NODE_BUDGET_BYTES),
      why: `memory: ${(mem / 2 ** 30).toFixed(1)} GiB on this machine, ${NODE_BUDGET_BYTES / 1024} KB budgeted per node (worker and server) out of three quarters of it`,
    },
  ]
  const ports = ephemeralPorts()
  if (ports !== null)
    limits.push({
      nodes: ports,
      why: `ports: ${ports} ephemeral ports (net.ipv4.ip_local_port_range), and after a failover one orchestrator may hold every node's connection`,
    })
  const fds = openFilesLimit()
  if (fds !== null)
    limits.push({
      nodes: Math.max(0, fds - FD_RESERVE),
      why: `file descriptors: ulimit -n is ${fds}, and one nats-server may hold every node's connection (raise it with ulimit -n)`,
    })
  return limits.sort((a, b) => a.nodes - b.nodes)
}

/** The tightest bound. */
export const nodeLimit = (): NodeLimit => nodeLimits()[0] as NodeLimit
