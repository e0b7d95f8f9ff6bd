import {
  allHosts,
  BackendError,
  type Availability,
  type BackendCapability,
  type Backend,
  type HostPlan,
  type Hosts,
  type LinksOptions,
  type TransportTraits,
} from '../../core/hosts.ts'
import type { Placement } from '../../core/placement.ts'
import { ProxyLinks } from './links/proxy-links.ts'

/**
 * Every host a plain process on 127.0.0.1: the default. Links are per-group TCP proxies
 * (links/), which can do every link fault (delay, throttle, one-way, partial) because they
 * carry the bytes themselves; they rewrite NATS's server gossip, so they need a transport whose
 * traffic they understand ('link-proxy').
 */
export class ProcessBackend implements Backend {
  readonly name = 'process' as const
  readonly summary = 'plain processes on 127.0.0.1, link faults by per-group TCP proxies'

  offers(transport: TransportTraits) {
    const links = transport.capabilities.includes('link-proxy')
      ? (['link:blackhole', 'link:reset', 'link:refuse', 'link:delay', 'link:throttle', 'link:one-way', 'link:partial'] as const)
      : []
    return [...links, 'extra-server' as const]
  }

  refuses(): string | null {
    return null
  }

  lacks(_c: BackendCapability, transport: TransportTraits): string {
    return `its link proxies speak NATS, and ${transport.name} mode has no link layer`
  }

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

  /** None: everything runs here as a plain process. */
  placement(host: string): Placement | undefined {
    this.#check(host)
    return undefined
  }

  links(opts: LinksOptions): ProxyLinks {
    return new ProxyLinks(opts)
  }

  async dispose(): Promise<void> {}
}
