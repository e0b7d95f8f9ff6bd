import { allHosts, BackendError, type HostPlan, type HostResources } from '../../core/hosts.ts'
import { assertRunId } from '../../platform/run-owner.ts'
import { addressAt, assertIfName, BRIDGE_ADDRESS, macOf, MAX_HOSTS } from '../bridge/addresses.ts'
import { ROUTE_LOCALNET_SYSCTLS } from '../bridge/wiring.ts'

/**
 * What a docker run creates, as plain data (pure, unit-tested; host-container.ts turns it into
 * containers through testcontainers). docs/backends.md, "docker":
 *
 * - A host is a pod, as in Kubernetes: a network holder (`…-net`, a shell blocked on its open
 *   stdin) owns the host's network namespace, and the host's container (`netsim-<runId>-<short>`:
 *   o<i> orchestrators, g<i> groups, s<i> spare servers) joins it (network mode
 *   `container:<holder>`). A crashed server then leaves its address answering with resets, as
 *   a crashed process on a live machine does, and comes back to the same network on a restart.
 * - No Docker network at all: the holder starts with network mode `none` (only lo) and is wired
 *   onto the run's bridge namespace as a netns host is: a veth whose far end is put into its
 *   namespace by pid, 127.200.x.y on it (bridge/addresses.ts), before any process of the host
 *   starts. Docker's own bridges hand out private 172.x addresses and need iptables; this needs
 *   neither.
 * - Everything is labelled with the run id, its role, its host and its part, so `reap` finds it.
 * - Paths are the harness's own: the project (read-only) and the run dir are mounted where they
 *   are, so a command line built for a plain process runs unchanged in a container.
 * - Secrets never go into env, labels or the command line (`docker inspect` shows them to
 *   anyone): configs are files in the run dir (0600), node specs travel over the channel.
 */
export const LABEL = {
  runId: 'netsim.run-id',
  role: 'netsim.role',
  host: 'netsim.host',
  /** `network`: the holder of the host's network namespace; `main`: the host's processes */
  part: 'netsim.part',
} as const

export type DockerRole = 'orchestrator' | 'group' | 'spare'

export interface DockerHostLayout {
  host: string
  role: DockerRole
  short: string
  container: string
  /** the container holding its network namespace */
  holder: string
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
    const container = containerName(plan.runId, short)
    hosts.push({ host, role, short, container, holder: `${container}-net`, bridgePort, address, mac: macOf(address) })
  }
  plan.orchestrators.forEach((h, i) => add(h, 'orchestrator', `o${i}`))
  plan.groups.forEach((h, i) => add(h, 'group', `g${i}`))
  ;(plan.spares ?? []).forEach((h, i) => add(h, 'spare', `s${i}`))
  return { runId: plan.runId, bridgeNetns: bridgeNetnsName(plan.runId), bridgeAddress: BRIDGE_ADDRESS, hosts }
}

export interface BindMount {
  source: string
  target: string
  mode: 'ro' | 'rw'
}

export interface ContainerSpec {
  name: string
  image: string
  labels: Record<string, string>
  command: string[]
  env: Record<string, string>
  binds: BindMount[]
  /** `none` for the holder (wired by netsim), `container:<holder>` for the host's processes */
  networkMode: string
  /** the holder's: route_localnet and no IPv6, set by Docker at create (a veth moved in later inherits them) */
  sysctls?: Record<string, string>
  /** the holder's: its shell blocks reading it, for the run's life */
  openStdin?: boolean
  resources?: { cpu?: number; memoryGiB?: number }
}

const labels = (runId: string, host: DockerHostLayout, part: 'network' | 'main'): Record<string, string> => ({
  [LABEL.runId]: runId,
  [LABEL.role]: host.role,
  [LABEL.host]: host.host,
  [LABEL.part]: part,
})

/** The holder of a host's network namespace: nothing but a shell waiting on stdin, in the host's image. */
export const holderSpec = (runId: string, host: DockerHostLayout, image: string): ContainerSpec => {
  assertRunId(runId)
  return {
    name: host.holder,
    image,
    labels: labels(runId, host, 'network'),
    command: ['/bin/sh', '-c', 'read _'],
    env: {},
    binds: [],
    networkMode: 'none',
    sysctls: Object.fromEntries(ROUTE_LOCALNET_SYSCTLS.map((kv) => kv.split('=') as [string, string])),
    openStdin: true,
  }
}

export interface HostContainerInput {
  runId: string
  host: DockerHostLayout
  image: string
  /** the main process's command line, as for a plain process */
  argv: string[]
  env: Record<string, string>
  /** mounted at their own paths: read-only (the project, the runtime) and read-write (the run dir) */
  readOnly: string[]
  readWrite: string[]
  resources?: HostResources
}

/** The host's own container: its first process as the main one, in the holder's network namespace. */
export const hostContainerSpec = (i: HostContainerInput): ContainerSpec => {
  assertRunId(i.runId)
  const r = i.resources
  return {
    name: i.host.container,
    image: i.image,
    labels: labels(i.runId, i.host, 'main'),
    command: i.argv,
    // HOME: Node asks for it (os.homedir) and the image has no home
    env: { HOME: '/tmp', ...i.env },
    binds: [
      ...i.readOnly.map((p): BindMount => ({ source: p, target: p, mode: 'ro' })),
      ...i.readWrite.map((p): BindMount => ({ source: p, target: p, mode: 'rw' })),
    ],
    networkMode: `container:${i.host.holder}`,
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
