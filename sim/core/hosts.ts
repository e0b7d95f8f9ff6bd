import { NetsimError } from './errors.ts'
import type { LinkCapability, Links } from './links.ts'
import type { Placement } from './placement.ts'
import type { TransportCapability } from './cluster.ts'

/**
 * A backend decides where the run's hosts live (each orchestrator and each node group's worker
 * process is a "host") and how the links between them break (docs/backends.md):
 *
 * - `process`: every host a plain process on 127.0.0.1; links are per-group TCP proxies.
 * - `netns`: every host in its own Linux network namespace, joined by a bridge in a namespace of
 *   its own; links are cut by nftables rules inside the group's namespace.
 * - `docker`: every host a container, wired onto a bridge in a namespace of the run the same way;
 *   links are cut by the same rules, process faults go through the engine.
 *
 * Lifecycle (testcontainers' model): a backend is a spec; `prepare(plan)` creates the run's
 * hosts and returns them started; `dispose()` removes everything. Everything created carries the
 * run id, so `reap` finds what a killed run left.
 */
export type BackendName = 'process' | 'netns' | 'docker'

/** What a backend may offer a plan: link abilities, room for an extra server (the rogue orchestrator), per-host limits. */
export const BACKEND_CAPABILITIES = {
  'extra-server': "start a server that is not one of the run's hosts (the rogue orchestrator) where the cluster can reach it",
  resources: "hold a host to a share of the machine's CPU and memory (`resources:`)",
} as const
export type BackendCapability = LinkCapability | keyof typeof BACKEND_CAPABILITIES

/** A transport as a backend sees it: its name and what it can do. */
export interface TransportTraits {
  name: string
  capabilities: readonly TransportCapability[]
}

export type Availability = { ok: true } | { ok: false; reason: string; hint: string }

/**
 * The spare host a rogue orchestrator runs on (a plan's `spares`): a name no group can have
 * (group names are lowercase letters, digits, - and _), so it never collides.
 */
export const ROGUE_HOST = '@rogue'

/** What one host may use (docker: the container's cgroup limits). */
export interface HostResources {
  /** cores, e.g. 0.25 */
  cpus?: number
  memoryBytes?: number
}

export interface HostPlan {
  /** the run id (sim/platform/run-dir.ts `newRunId()` format); names of everything created carry it */
  runId: string
  /** host names; every name must be unique across all three lists */
  orchestrators: string[]
  groups: string[]
  /** servers beside the run's hosts (the rogue orchestrator), placed after the groups */
  spares?: string[]
  /** the run's private directory (docker mounts it into every container, at the same path) */
  runDir?: string
  /** the server binary orchestrators and spares run (docker builds their image around it) */
  serverBinary?: string
  /** per host, what it may use (only a backend offering 'resources' takes any) */
  resources?: Record<string, HostResources>
}

/** What the backend's links need from the run (the process backend's proxies). */
export interface LinksOptions {
  runId: string
  /** node groups: each reaches each orchestrator through a link of its own */
  groups: string[]
  seed: number
  /** how many of the group's nodes are connected to these orchestrators now (what a fault hits) */
  connected(group: string, orchestrators: string[]): number
}

export interface Hosts {
  readonly backend: BackendName
  readonly runId: string
  /** The address others dial to reach `host`. */
  addressOf(host: string): string
  /** Where `host`'s processes run; undefined: a plain process here (the process backend). */
  placement(host: string): Placement | undefined
  /** The run's links between groups and orchestrators: proxies, or kernel cuts between hosts. */
  links(opts: LinksOptions): Links
  /** Removes everything prepare created (and what still runs inside); safe to call twice. */
  dispose(): Promise<void>
}

export interface Backend {
  readonly name: BackendName
  /** one line: where hosts live and how links break */
  readonly summary: string
  /** What it offers a run over this transport (link abilities can depend on the transport). */
  offers(transport: TransportTraits): readonly BackendCapability[]
  /** Why it cannot run this transport at all, or null. */
  refuses(transport: TransportTraits): string | null
  /** Why it does not offer `capability` over this transport (for the plan check's message). */
  lacks(capability: BackendCapability, transport: TransportTraits): string
  /** Whether this machine can run the backend, and if not why and what to do. Never hangs. */
  available(): Promise<Availability>
  prepare(plan: HostPlan): Promise<Hosts>
}

/**
 * How a cut link behaves (the link faults of the same names, sim/faults):
 * - `blackhole`: every packet between the two is dropped, both ways. Silent: no FIN, no RST;
 *   an open connection notices only by its own timers (NATS: pings), a new one times out.
 * - `reset`: open connections are reset at once (both ends get an RST); a new connection
 *   completes its handshake and is reset straight away; until healed.
 * - `down`: open connections are reset at once; new connections are refused (ECONNREFUSED),
 *   as if nothing listened at the address; until healed.
 */
export type CutMode = 'blackhole' | 'reset' | 'down'
export const CUT_MODES: readonly CutMode[] = ['blackhole', 'reset', 'down']

export const assertCutMode = (how: string): void => {
  if (!(CUT_MODES as readonly string[]).includes(how))
    throw new BackendError('E_BACKEND_PLAN', `unknown cut mode "${how}" (one of ${CUT_MODES.join(', ')})`)
}

export type BackendErrorCode =
  | 'E_BACKEND_UNAVAILABLE' // the machine cannot run it (not root, no ip/nft, no engine)
  | 'E_BACKEND' // a command or engine call failed while preparing, cutting or disposing
  | 'E_BACKEND_UNSUPPORTED' // the backend has no such ability
  | 'E_BACKEND_PLAN' // the plan cannot be laid out (duplicate or unknown host, bad run id)

/** Errors of the backends: NetsimErrors with a backend code and, where it helps, a hint. */
export class BackendError extends NetsimError {
  override readonly code: BackendErrorCode
  readonly hint?: string

  constructor(code: BackendErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(code, message, options.cause === undefined ? {} : { cause: options.cause })
    this.name = 'BackendError'
    this.code = code
    if (options.hint !== undefined) this.hint = options.hint
  }
}

export const isBackendError = (e: unknown, code?: BackendErrorCode): e is BackendError =>
  e instanceof BackendError && (code === undefined || e.code === code)

/** Checks the plan's host names: non-empty, unique across orchestrators, groups and spares. */
export const allHosts = (plan: HostPlan): string[] => {
  const all = [...plan.orchestrators, ...plan.groups, ...(plan.spares ?? [])]
  const seen = new Set<string>()
  for (const h of all) {
    if (h === '') throw new BackendError('E_BACKEND_PLAN', 'a host name is empty')
    if (seen.has(h)) throw new BackendError('E_BACKEND_PLAN', `host name "${h}" is used twice (orchestrator and group names must all differ)`)
    seen.add(h)
  }
  return all
}
