import { allHosts, BackendError, type Availability, type Backend, type CutMode, type HostPlan, type Hosts } from '../../core/hosts.ts'

/**
 * Every host a plain process on 127.0.0.1: what netsim did before backends existed. Links are
 * cut by the link layer's proxies (sim/link), which sit between groups and orchestrators, so
 * `cut` here says so instead of pretending.
 */
export class ProcessBackend implements Backend {
  readonly name = 'process' as const

  async available(): Promise<Availability> {
    return { ok: true }
  }

  async prepare(plan: HostPlan): Promise<ProcessHosts> {
    return new ProcessHosts(plan.runId, allHosts(plan))
  }
}

export class ProcessHosts implements Hosts {
  readonly backend = 'process' as const
  readonly runId: string
  readonly #hosts: Set<string>

  constructor(runId: string, hosts: string[]) {
    this.runId = runId
    this.#hosts = new Set(hosts)
  }

  #check(host: string): void {
    if (!this.#hosts.has(host)) throw new BackendError('E_BACKEND_PLAN', `no host "${host}" in run ${this.runId}`)
  }

  addressOf(host: string): string {
    this.#check(host)
    return '127.0.0.1'
  }

  wrapCommand(host: string, argv: string[]): string[] {
    this.#check(host)
    return argv
  }

  async cut(a: string, b: string, _how: CutMode): Promise<void> {
    throw new BackendError('E_BACKEND_UNSUPPORTED', `the process backend cuts links in the link layer (sim/link), not here (${a} ↔ ${b})`)
  }

  async heal(a: string, b: string): Promise<void> {
    throw new BackendError('E_BACKEND_UNSUPPORTED', `the process backend heals links in the link layer (sim/link), not here (${a} ↔ ${b})`)
  }

  async dispose(): Promise<void> {}

  async [Symbol.asyncDispose](): Promise<void> {}
}
