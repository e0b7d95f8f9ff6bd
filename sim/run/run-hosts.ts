import type { RunPlan } from '../config/run-plan.ts'
import { BackendError, requireBackend, type Backend, type HostPlan, type Hosts } from '../backends/index.ts'
import { NetnsHosts } from '../backends/netns/netns-backend.ts'
import { NetnsObserver } from '../backends/netns/observer.ts'
import type { Placement } from '../core/placement.ts'

/**
 * The run's hosts on its backend (DESIGN.md §2): one per orchestrator (as many as the run will
 * ever have, scale steps included) and one per node group, and where each one's processes run.
 *
 * - process: no placement: everything runs as before, on 127.0.0.1, link faults by proxies.
 * - netns: a namespace per host (sim/backends/netns); a host's placement binds its address and
 *   starts its processes with `ip netns exec`; the harness reads nats-server's monitoring
 *   endpoints through the observer process in the bridge namespace.
 * - docker: its hosts are containers started from specs, which the run does not drive yet.
 */
export const hostPlanFor = (plan: RunPlan, runId: string): HostPlan => {
  let orchestrators = plan.orchestrators.count
  for (const s of plan.timeline) if (s.kind === 'scale') orchestrators = Math.max(orchestrators, s.orchestrators)
  return { runId, orchestrators: Array.from({ length: orchestrators }, (_, i) => `orch-${i}`), groups: plan.groups.map((g) => g.name) }
}

/**
 * Whether the plan's backend can run here, before anything is created: E_BACKEND_UNAVAILABLE
 * naming what is missing (root, ip, nft, an engine…), quickly (each backend's check has its own
 * deadline, 5 s at most); docker with an engine: E_BACKEND_UNSUPPORTED.
 */
export const checkRunBackend = async (plan: Pick<RunPlan, 'backend'>, require: typeof requireBackend = requireBackend): Promise<Backend> => {
  const backend = await require(plan.backend)
  if (plan.backend === 'docker') {
    throw new BackendError(
      'E_BACKEND_UNSUPPORTED',
      'full runs on the docker backend are not wired yet (its container specs exist and are tested, but workers in containers have no event channel to the harness): use --backend process or --backend netns',
    )
  }
  return backend
}

export class RunHosts {
  readonly hosts: Hosts
  readonly #observer: NetnsObserver | null

  private constructor(hosts: Hosts, observer: NetnsObserver | null) {
    this.hosts = hosts
    this.#observer = observer
  }

  /** Prepares the hosts (netns: namespaces, bridge, observer); on failure removes what it made. */
  static async open(backend: Backend, plan: RunPlan, runId: string): Promise<RunHosts> {
    const hosts = await backend.prepare(hostPlanFor(plan, runId))
    if (!(hosts instanceof NetnsHosts)) return new RunHosts(hosts, null)
    try {
      const observer = await NetnsObserver.start(runId, (argv) => hosts.wrapBridgeCommand(argv))
      return new RunHosts(hosts, observer)
    } catch (e) {
      await hosts.dispose().catch(() => {})
      throw e
    }
  }

  get backend(): Hosts['backend'] {
    return this.hosts.backend
  }

  /** Where `host` runs; undefined on the process backend (plain processes, as without hosts). */
  placement(host: string): Placement | undefined {
    const observer = this.#observer
    if (observer === null) return undefined
    const hosts = this.hosts
    return { address: hosts.addressOf(host), wrap: (argv) => hosts.wrapCommand(host, argv), httpGet: observer.get }
  }

  /** Stops the observer and removes the hosts (netns: kills what runs inside, deletes the namespaces). */
  async dispose(): Promise<void> {
    await this.#observer?.dispose().catch(() => {})
    await this.hosts.dispose()
  }
}
