import { NetsimError } from './errors.ts'
/**
 * A backend decides where the run's hosts live (each orchestrator and each node group's worker
 * process is a "host") and how a link between two hosts is cut:
 *
 * - `process`: every host is a plain process on 127.0.0.1; links are cut by the link layer's
 *   proxies (sim/link), not here.
 * - `netns`: every host in its own Linux network namespace, joined by a bridge in a namespace of
 *   its own; links are cut by nftables rules inside the first host's namespace.
 * - `docker`: every host a container on one Docker network per run (see docker/).
 *
 * Lifecycle (testcontainers' model): a backend is a spec; `prepare(plan)` creates the run's
 * network and returns the started `Hosts`; `dispose()` removes everything (also via
 * `await using`). Everything created carries the run id, so `reap` finds what a killed run left.
 */
export type BackendName = 'process' | 'netns' | 'docker'
export const BACKEND_NAMES: readonly BackendName[] = ['process', 'netns', 'docker']

/**
 * How a cut link behaves (the link layer's fault names, same meaning):
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

export type Availability = { ok: true } | { ok: false; reason: string; hint: string }

export interface HostPlan {
  /** the run id (`sim/run/run-dir.ts` `newRunId()` format); names of everything created carry it */
  runId: string
  /** host names; every name must be unique across both lists */
  orchestrators: string[]
  groups: string[]
}

export interface Hosts extends AsyncDisposable {
  readonly backend: BackendName
  readonly runId: string
  /** The address others dial to reach `host` (an IP; for docker the host's name on the run's network). */
  addressOf(host: string): string
  /**
   * The argv that runs `argv` on `host`: `['ip', 'netns', 'exec', ns, ...argv]` for netns,
   * `argv` itself for process. Docker hosts are containers started from specs instead
   * (docker/docker-specs.ts): there it throws `E_BACKEND_UNSUPPORTED`.
   */
  wrapCommand(host: string, argv: string[]): string[]
  /**
   * Cuts the link between host `a` (usually a node group) and host `b` (usually an
   * orchestrator): both directions, `how` as described at `CutMode`. Cutting a cut link again
   * replaces its mode.
   */
  cut(a: string, b: string, how: CutMode): Promise<void>
  /** Undoes `cut(a, b)`; a link that is not cut is left alone. */
  heal(a: string, b: string): Promise<void>
  /** Removes everything prepare created; safe to call twice. */
  dispose(): Promise<void>
}

export interface Backend {
  readonly name: BackendName
  /** Whether this machine can run the backend, and if not why and what to do. Never hangs. */
  available(): Promise<Availability>
  prepare(plan: HostPlan): Promise<Hosts>
}

export type BackendErrorCode =
  | 'E_BACKEND_UNAVAILABLE' // the machine cannot run it (not root, no ip/nft, no engine)
  | 'E_BACKEND' // a command or engine call failed while preparing, cutting or disposing
  | 'E_BACKEND_UNSUPPORTED' // the backend has no such ability (e.g. wrapCommand on docker)
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

/** Checks the plan's host names: non-empty, unique across orchestrators and groups. */
export const allHosts = (plan: HostPlan): string[] => {
  const all = [...plan.orchestrators, ...plan.groups]
  const seen = new Set<string>()
  for (const h of all) {
    if (h === '') throw new BackendError('E_BACKEND_PLAN', 'a host name is empty')
    if (seen.has(h)) throw new BackendError('E_BACKEND_PLAN', `host name "${h}" is used twice (orchestrator and group names must all differ)`)
    seen.add(h)
  }
  return all
}
