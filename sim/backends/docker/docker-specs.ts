import { allHosts, BackendError, type HostPlan, type HostResources } from '../../core/hosts.ts'
import { assertRunId } from '../../platform/run-owner.ts'
import { addressAt, assertIfName, BRIDGE_ADDRESS, macOf, MAX_HOSTS } from '../bridge/addresses.ts'
import { ROUTE_LOCALNET_SYSCTLS } from '../bridge/wiring.ts'

/**
 * What a docker run creates, as plain data (pure, unit-tested; host-container.ts turns it into
 * containers through testcontainers). docs/backends.md, "docker":
 *
 * - No Docker network at all: every container starts with network mode `none` (only lo) and is
 *   wired onto the run's bridge namespace as a netns host is: a veth whose far end is put into
 *   the container's namespace by pid, 127.200.x.y on it (bridge/addresses.ts). Docker's own
 *   bridges hand out private 172.x addresses and need iptables; this needs neither.
 * - One container per host: `netsim-<runId>-<short>` (o<i> orchestrators, g<i> groups, s<i>
 *   spare servers), labelled with the run id, its role and its host, so `reap` finds it.
 * - The container's main process waits behind a gate (a FIFO in the run dir) until its network
 *   is wired: a server then binds and dials its routes only once its address exists.
 * - Paths are the harness's own: the project (read-only) and the run dir are mounted where they
 *   are, so a command line built for a plain process runs unchanged in a container.
 * - Secrets never go into env, labels or the command line (`docker inspect` shows them to
 *   anyone): configs are files in the run dir (0600), node specs travel over the channel.
 */
export const LABEL = {
  runId: 'netsim.run-id',
  role: 'netsim.role',
  host: 'netsim.host',
} as const

export type DockerRole = 'orchestrator' | 'group' | 'spare'

export interface DockerHostLayout {
  host: string
  role: DockerRole
  short: string
  container: string
  /** its veth end in the bridge namespace */
  bridgePort: string
  address: string
  /** fixed per address, so a restarted container keeps it (bridge/addresses.ts macOf) */
  mac: string
}

export interface DockerLayout {
  runId: string
  bridgeNetns: string
  bridgeAddress: string
  hosts: DockerHostLayout[]
}

export const containerName = (runId: string, short: string): string => `netsim-${runId}-${short}`

/** The same bridge namespace name as a netns run's, so reapNamespaces removes it too. */
export const bridgeNetnsName = (runId: string): string => `netsim-${runId}-br`

export const dockerLayout = (plan: HostPlan): DockerLayout => {
  assertRunId(plan.runId)
  const all = allHosts(plan)
  if (all.length > MAX_HOSTS) throw new BackendError('E_BACKEND_PLAN', `at most ${MAX_HOSTS} hosts fit one run`)
  const hosts: DockerHostLayout[] = []
  const add = (host: string, role: DockerRole, short: string) => {
    const bridgePort = `v${short}`
    assertIfName(bridgePort)
    const address = addressAt(hosts.length)
    hosts.push({ host, role, short, container: containerName(plan.runId, short), bridgePort, address, mac: macOf(address) })
  }
  plan.orchestrators.forEach((h, i) => add(h, 'orchestrator', `o${i}`))
  plan.groups.forEach((h, i) => add(h, 'group', `g${i}`))
  ;(plan.spares ?? []).forEach((h, i) => add(h, 'spare', `s${i}`))
  return { runId: plan.runId, bridgeNetns: bridgeNetnsName(plan.runId), bridgeAddress: BRIDGE_ADDRESS, hosts }
}

/** `$0` is the gate FIFO: the main process starts when the harness writes a line into it (after wiring). */
export const GATE = ['/bin/sh', '-c', 'read _ < "$0" && exec "$@"'] as const

export interface BindMount {
  source: string
  target: string
  mode: 'ro' | 'rw'
}

export interface ContainerSpec {
  name: string
  image: string
  labels: Record<string, string>
  /** the gate, then the process's own argv */
  command: string[]
  env: Record<string, string>
  binds: BindMount[]
  /** route_localnet and no IPv6, set by Docker at create: the veth moved in later inherits them */
  sysctls: Record<string, string>
  resources?: { cpu?: number; memoryGiB?: number }
}

export interface HostContainerInput {
  runId: string
  host: DockerHostLayout
  image: string
  /** the main process's command line, as for a plain process */
  argv: string[]
  gate: string
  env: Record<string, string>
  /** mounted at their own paths: read-only (the project, the runtime) and read-write (the run dir) */
  readOnly: string[]
  readWrite: string[]
  resources?: HostResources
}

const sysctls = (): Record<string, string> => Object.fromEntries(ROUTE_LOCALNET_SYSCTLS.map((kv) => kv.split('=') as [string, string]))

export const hostContainerSpec = (i: HostContainerInput): ContainerSpec => {
  assertRunId(i.runId)
  const r = i.resources
  return {
    name: i.host.container,
    image: i.image,
    labels: { [LABEL.runId]: i.runId, [LABEL.role]: i.host.role, [LABEL.host]: i.host.host },
    command: [...GATE, i.gate, ...i.argv],
    // HOME: Node asks for it (os.homedir) and the image has no home
    env: { HOME: '/tmp', ...i.env },
    binds: [
      ...i.readOnly.map((p): BindMount => ({ source: p, target: p, mode: 'ro' })),
      ...i.readWrite.map((p): BindMount => ({ source: p, target: p, mode: 'rw' })),
    ],
    sysctls: sysctls(),
    ...(r === undefined || (r.cpus === undefined && r.memoryBytes === undefined)
      ? {}
      : {
          resources: {
            ...(r.cpus === undefined ? {} : { cpu: r.cpus }),
            ...(r.memoryBytes === undefined ? {} : { memoryGiB: r.memoryBytes / 1024 ** 3 }),
          },
        }),
  }
}

/** Docker's exit status of a container whose main process a signal ended (128 + n, as tini reports it). */
export const exitOfStatus = (status: number, signals: Record<string, number>): { code: number | null; signal: NodeJS.Signals | null } => {
  if (status > 128 && status < 128 + 65) {
    const name = Object.entries(signals).find(([, n]) => n === status - 128)?.[0]
    if (name !== undefined) return { code: null, signal: name as NodeJS.Signals }
  }
  return { code: status, signal: null }
}
