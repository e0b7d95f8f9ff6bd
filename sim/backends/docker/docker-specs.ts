/** A node's spec as its worker reads it: the backend carries it, opaque, into the container. */
type NodeSpec = { id: string; group: string }
import { renderServerConfig } from '../../transports/nats/server-config.ts'
import { allHosts, BackendError, type HostPlan } from '../../core/hosts.ts'
import { RULESET } from '../nft-rules.ts'
import { assertRunId } from '../../platform/run-owner.ts'

/**
 * What a docker run creates, as plain data (pure functions, unit-tested; docker-hosts.ts turns
 * them into containers with testcontainers):
 *
 * - one bridge network per run, `netsim-<runId>`, labelled with the run id;
 * - one container per orchestrator from the pinned `nats` image, its generated config copied
 *   in as a file;
 * - one container per node group from the project's image (the repo's Dockerfile), running
 *   `sim/fleet/worker-main.ts --spec /spec/nodes.json`, with NET_ADMIN and the cut rules so
 *   a single link can be cut from inside it, as in the netns backend.
 *
 * Secrets (the orchestrators' token, the nodes' tokens) are only ever in copied files (mode
 * 0600), never in env, labels or the command line, which `docker inspect` shows to anyone.
 * Container names are `netsim-<runId>-<short>` (o0…, g0…), also their DNS names on the network.
 */

/** 2.10 line, Alpine variant: the scratch one has no shell for `docker exec` when debugging. */
export const NATS_IMAGE = 'nats:2.10.24-alpine'
/** Built from the repo's Dockerfile (`docker build -t netsim-worker:local .`). */
export const WORKER_IMAGE = 'netsim-worker:local'

export const LABEL = {
  runId: 'netsim.run-id',
  role: 'netsim.role',
  host: 'netsim.host',
} as const

/** Bacalhau's conventional ports: every container has its own address, so fixed ports never collide. */
export const PORTS = { client: 4222, http: 8222, cluster: 6222 } as const

export const NATS_CONFIG_PATH = '/etc/netsim/nats.conf'
export const NODES_SPEC_PATH = '/spec/nodes.json'
export const CUT_RULES_PATH = '/etc/netsim/cut.nft'

export interface NetworkSpec {
  name: string
  driver: 'bridge'
  /**
   * false: published ports must work (the harness reaches each orchestrator's client and
   * monitoring port through them, also on a remote engine). Nothing in the containers dials
   * out; an internal network would cut that off but also the published ports.
   */
  internal: boolean
  labels: Record<string, string>
}

export interface ContainerFile {
  target: string
  content: string
  mode: number
}

export type WaitSpec = { kind: 'http'; port: number; path: string } | { kind: 'started' }

export interface ContainerSpec {
  host: string
  role: 'orchestrator' | 'group'
  /** container name, also its DNS name on the run's network */
  name: string
  image: string
  command: string[]
  workingDir?: string
  env: Record<string, string>
  labels: Record<string, string>
  network: string
  files: ContainerFile[]
  /** container ports published to random host ports */
  exposedPorts: number[]
  capAdd: string[]
  /** after start, run this inside (e.g. load the cut rules) */
  postStart: string[][]
  wait: WaitSpec
}

export const networkName = (runId: string): string => `netsim-${runId}`
export const containerName = (runId: string, short: string): string => `netsim-${runId}-${short}`

export const labelsFor = (runId: string, role: ContainerSpec['role'] | 'network', host?: string): Record<string, string> => ({
  [LABEL.runId]: runId,
  [LABEL.role]: role,
  ...(host === undefined ? {} : { [LABEL.host]: host }),
})

export const networkSpec = (runId: string): NetworkSpec => {
  assertRunId(runId)
  return { name: networkName(runId), driver: 'bridge', internal: false, labels: labelsFor(runId, 'network') }
}

/** Host name → container name, for a plan (orchestrators o0…, groups g0…). */
export const containerNames = (plan: HostPlan): Map<string, string> => {
  assertRunId(plan.runId)
  allHosts(plan)
  return new Map([
    ...plan.orchestrators.map((h, i) => [h, containerName(plan.runId, `o${i}`)] as const),
    ...plan.groups.map((h, i) => [h, containerName(plan.runId, `g${i}`)] as const),
  ])
}

/**
 * nats-server's config with every listener on all interfaces of the container: the shared
 * renderer binds 127.0.0.1, right for the process backend, unreachable in a container.
 * (A `host` field in ServerConfigSpec would make this rewrite unnecessary.)
 */
export const bindAllInterfaces = (config: string): string => {
  const out = config
    .replace(/^host: "127\.0\.0\.1"$/m, 'host: "0.0.0.0"')
    .replace(/^http: "127\.0\.0\.1:(\d+)"$/m, 'http: "0.0.0.0:$1"')
    .replace(/^(\s*)listen: "127\.0\.0\.1:(\d+)"$/m, '$1listen: "0.0.0.0:$2"')
  if (/"127\.0\.0\.1[:"]/.test(out)) throw new Error('nats config still binds 127.0.0.1: the renderer changed, update bindAllInterfaces')
  return out
}

export interface OrchestratorContainerInput {
  runId: string
  host: string
  name: string
  token?: string
  /** container names of the other orchestrators (routes go to `<name>:6222`) */
  peers: string[]
  clusterName?: string
  routeAuth?: { user: string; password: string }
  lameDuck: { durationMs: number; graceMs: number }
  jetstream?: boolean
  image?: string
}

export const orchestratorSpec = (o: OrchestratorContainerInput): ContainerSpec => {
  assertRunId(o.runId)
  const config = bindAllInterfaces(
    renderServerConfig({
      name: o.host,
      portsDir: '/tmp',
      ports: { ...PORTS },
      lameDuck: o.lameDuck,
      ...(o.token === undefined ? {} : { token: o.token }),
      ...(o.jetstream ? { jetstream: { storeDir: '/data/jetstream' } } : {}),
      ...(o.peers.length > 0
        ? {
            cluster: {
              name: o.clusterName ?? `netsim-${o.runId}`,
              routes: o.peers.map((p) => `${p}:${PORTS.cluster}`),
              ...(o.routeAuth ? { auth: o.routeAuth } : {}),
            },
          }
        : {}),
    }),
  )
  return {
    host: o.host,
    role: 'orchestrator',
    name: o.name,
    image: o.image ?? NATS_IMAGE,
    command: ['nats-server', '--config', NATS_CONFIG_PATH],
    env: {},
    labels: labelsFor(o.runId, 'orchestrator', o.host),
    network: networkName(o.runId),
    files: [{ target: NATS_CONFIG_PATH, content: config, mode: 0o600 }],
    exposedPorts: [PORTS.client, PORTS.http],
    capAdd: [],
    postStart: [],
    wait: { kind: 'http', port: PORTS.http, path: '/healthz' },
  }
}

export interface GroupContainerInput {
  runId: string
  host: string
  name: string
  /** the group's nodes, tokens and all: they go into a copied file, never into env */
  nodes: NodeSpec[]
  concurrency: number
  image?: string
}

/**
 * A node group's worker. NOTE: worker-main.ts takes its nodes over IPC today; the docker mode
 * needs it to read `--spec <file>` ({ nodes, concurrency }) and to write its events somewhere
 * the harness reads (stdout JSON lines, read through the container's log stream, would do).
 */
export const groupSpec = (g: GroupContainerInput): ContainerSpec => {
  assertRunId(g.runId)
  return {
    host: g.host,
    role: 'group',
    name: g.name,
    image: g.image ?? WORKER_IMAGE,
    command: ['node', '--disable-warning=ExperimentalWarning', 'sim/fleet/worker-main.ts', '--spec', NODES_SPEC_PATH],
    workingDir: '/app',
    env: { NETSIM_RUN_ID: g.runId, NETSIM_GROUP: g.host },
    labels: labelsFor(g.runId, 'group', g.host),
    network: networkName(g.runId),
    files: [
      { target: NODES_SPEC_PATH, content: JSON.stringify({ nodes: g.nodes, concurrency: g.concurrency }), mode: 0o600 },
      { target: CUT_RULES_PATH, content: RULESET, mode: 0o644 },
    ],
    exposedPorts: [],
    capAdd: ['NET_ADMIN'], // nftables inside its own network namespace only
    postStart: [['nft', '-f', CUT_RULES_PATH]],
    wait: { kind: 'started' },
  }
}

export interface DockerRunInput {
  plan: HostPlan
  token?: string
  lameDuck: { durationMs: number; graceMs: number }
  /** nodes per group (by group host name) */
  nodes: Record<string, NodeSpec[]>
  concurrency: number
  natsImage?: string
  workerImage?: string
}

/** Every spec of a run: the network, then orchestrators (clustered full mesh), then groups. */
export const dockerRunSpecs = (r: DockerRunInput): { network: NetworkSpec; containers: ContainerSpec[] } => {
  const names = containerNames(r.plan)
  const nameOf = (h: string) => names.get(h) as string
  const orchNames = r.plan.orchestrators.map(nameOf)
  for (const g of Object.keys(r.nodes)) {
    if (!r.plan.groups.includes(g)) throw new BackendError('E_BACKEND_PLAN', `nodes given for "${g}", which is not a group of the plan`)
  }
  return {
    network: networkSpec(r.plan.runId),
    containers: [
      ...r.plan.orchestrators.map((host) =>
        orchestratorSpec({
          runId: r.plan.runId,
          host,
          name: nameOf(host),
          peers: orchNames.filter((n) => n !== nameOf(host)),
          lameDuck: r.lameDuck,
          ...(r.token === undefined ? {} : { token: r.token }),
          ...(r.natsImage === undefined ? {} : { image: r.natsImage }),
        }),
      ),
      ...r.plan.groups.map((host) =>
        groupSpec({
          runId: r.plan.runId,
          host,
          name: nameOf(host),
          nodes: r.nodes[host] ?? [],
          concurrency: r.concurrency,
          ...(r.workerImage === undefined ? {} : { image: r.workerImage }),
        }),
      ),
    ],
  }
}

/** An orchestrator URL as a node in the run dials it: the container's DNS name on the network. */
export const orchestratorUrl = (containerName: string): string => `nats://${containerName}:${PORTS.client}`
