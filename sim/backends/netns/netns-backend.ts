import { settle } from '../../core/abandon.ts'
import {
  assertCutMode,
  BackendError,
  type Availability,
  type Backend,
  type BackendCapability,
  type CutMode,
  type HostPlan,
  type Hosts,
  type LinksOptions,
  type TransportTraits,
} from '../../core/hosts.ts'
import type { Placement } from '../../core/placement.ts'
import { KERNEL_LINK_CAPABILITIES, KernelLinks, kernelLinkLacks, type Cutter } from '../kernel-links.ts'
import { NetnsObserver } from '../bridge/observer.ts'
import { run } from '../../platform/exec.ts'
import { localPlacement } from '../../platform/local-launch.ts'
import { BRIDGE, HOST_IF, layoutFor, type HostLayout, type NetnsLayout } from './layout.ts'
import { abortConnectionsArgs, addElementArgs, deleteElementArgs, RULESET } from '../nft-rules.ts'
import { netnsAvailable } from './netns-available.ts'
import { removeNamespaces } from '../bridge/namespaces.ts'
import { findNetnsTools, type NetnsTools } from '../bridge/tools.ts'
import { addressInNetns } from '../bridge/wiring.ts'

/**
 * Every host in its own network namespace; all joined by one bridge living in a namespace of
 * its own (see layout.ts for names and addresses). Nothing is created in the root namespace:
 * each veth pair is created from inside the bridge namespace with its far end placed straight
 * into the host's namespace.
 *
 * Inside a host namespace:
 * - eth0 holds the host's 127.200.x.y/16 address; route_localnet=1 (all, default, eth0) lets
 *   loopback-range addresses leave and enter through it (ARP and routing otherwise refuse them);
 * - lo is up with 127.0.0.1/32 only: the usual 127.0.0.0/8 on lo would make every 127.x
 *   address, the peers' included, local. Processes inside still reach themselves on 127.0.0.1
 *   (and on their own eth0 address) but the host's 127.0.0.1 is out of reach, by design;
 * - IPv6 is off (no neighbour-discovery chatter, no second address family to filter);
 * - the nftables table of nft-rules.ts, with empty sets: a cut fills them.
 */
export class NetnsBackend implements Backend {
  readonly name = 'netns' as const
  readonly summary = 'a network namespace per host (127.200.x.y), kernel link cuts; needs root'

  /** Cuts are whole links, both ways: no delay, no throttle, no one-way or partial faults. The
   *  rogue orchestrator would have no host in the run's namespaces. */
  offers(): readonly (typeof KERNEL_LINK_CAPABILITIES)[number][] {
    return KERNEL_LINK_CAPABILITIES
  }

  lacks(capability: BackendCapability): string {
    const link = kernelLinkLacks(capability)
    if (link !== null) return link
    if (capability === 'extra-server') return "the rogue orchestrator would have no host in the run's namespaces"
    return `it has no ${capability}`
  }

  refuses(transport: TransportTraits): string | null {
    return transport.capabilities.includes('placement')
      ? null
      : `the netns backend places processes in namespaces, and ${transport.name} hosts are not placed there`
  }
  #tools: NetnsTools | undefined

  constructor(tools?: NetnsTools) {
    this.#tools = tools
  }

  async available(): Promise<Availability> {
    const a = await netnsAvailable()
    if (a.ok && a.tools) this.#tools = a.tools
    return a.ok ? { ok: true } : { ok: false, reason: a.reason, hint: a.hint }
  }

  async prepare(plan: HostPlan): Promise<NetnsHosts> {
    const layout = layoutFor(plan)
    if (this.#tools === undefined) {
      const lookup = findNetnsTools()
      if (!lookup.ok)
        throw new BackendError('E_BACKEND_UNAVAILABLE', `the netns backend needs ${lookup.missing.join(', ')}`, {
          hint: `apt-get install -y ${lookup.packages.join(' ')}`,
        })
      this.#tools = lookup.tools
    }
    const hosts = new NetnsHosts(this.#tools, layout)
    try {
      await hosts.create()
      await hosts.observe()
    } catch (e) {
      await settle(hosts.dispose(), 'preparing failed: that error is the one to report; `netsim reap` removes what is left')
      throw e instanceof BackendError
        ? e
        : new BackendError('E_BACKEND', `preparing the netns topology failed: ${(e as Error).message}`, { cause: e })
    }
    return hosts
  }
}

const T = { timeoutMs: 10_000 }

/** Runs `fn` over `items`, at most `limit` at a time. */
const eachLimit = async <T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> => {
  let next = 0
  const lane = async () => {
    while (next < items.length) await fn(items[next++] as T)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

export class NetnsHosts implements Hosts, Cutter {
  readonly backend = 'netns' as const
  readonly layout: NetnsLayout
  readonly #tools: NetnsTools
  #observer: NetnsObserver | null = null
  readonly #byName: Map<string, HostLayout>
  /** `a\0b` → the mode the link is cut with */
  readonly #cuts = new Map<string, { how: CutMode; from: HostLayout; to: HostLayout }>()
  #disposed = false

  constructor(tools: NetnsTools, layout: NetnsLayout) {
    this.#tools = tools
    this.layout = layout
    this.#byName = new Map(layout.hosts.map((h) => [h.host, h]))
  }

  get runId(): string {
    return this.layout.runId
  }

  /** Every namespace of the run, the bridge's last. */
  get namespaces(): string[] {
    return [...this.layout.hosts.map((h) => h.netns), this.layout.bridgeNetns]
  }

  #host(name: string): HostLayout {
    const h = this.#byName.get(name)
    if (!h) throw new BackendError('E_BACKEND_PLAN', `no host "${name}" in run ${this.runId} (hosts: ${[...this.#byName.keys()].join(', ')})`)
    return h
  }

  addressOf(host: string): string {
    return this.#host(host).address
  }

  netnsOf(host: string): string {
    return this.#host(host).netns
  }

  wrapCommand(host: string, argv: string[]): string[] {
    return [this.#tools.ip, 'netns', 'exec', this.#host(host).netns, ...argv]
  }

  /** The argv that runs `argv` in the bridge namespace, at `layout.bridgeAddress`: it reaches
   *  every host and no cut applies to it (the harness's observer of the run's network). */
  wrapBridgeCommand(argv: string[]): string[] {
    return [this.#tools.ip, 'netns', 'exec', this.layout.bridgeNetns, ...argv]
  }

  /**
   * Starts the run's observer in the bridge namespace: the root namespace cannot reach the run's
   * addresses, so the harness's HTTP reads (/healthz, /routez) go through it over IPC.
   */
  async observe(): Promise<void> {
    this.#observer = await NetnsObserver.start(this.runId, (argv) => this.wrapBridgeCommand(argv))
  }

  /** The host's address, its commands run in its namespace, its HTTP read through the observer. */
  placement(host: string): Placement {
    const observer = this.#observer
    if (observer === null) throw new BackendError('E_BACKEND', `run ${this.runId}: the netns observer is not running`)
    return localPlacement(this.addressOf(host), (argv) => this.wrapCommand(host, argv), observer.get)
  }

  /** Link faults as nft cuts between the group's namespace and the orchestrators'. */
  links(opts: LinksOptions): KernelLinks {
    return new KernelLinks(this, opts.connected)
  }

  /** Called once by NetnsBackend.prepare; on failure the caller disposes. */
  async create(): Promise<void> {
    const { ip, nft } = this.#tools
    const { bridgeNetns, hosts } = this.layout
    // Namespaces first, in one `ip` call.
    await run(ip, ['-batch', '-'], { ...T, input: [bridgeNetns, ...hosts.map((h) => h.netns)].map((n) => `netns add ${n}\n`).join('') })
    // The bridge and every veth pair, from inside the bridge namespace.
    const bridgeCmds = [`link add ${BRIDGE} type bridge`, `link set ${BRIDGE} up`]
    for (const h of hosts) {
      bridgeCmds.push(`link add ${h.bridgePort} type veth peer name ${HOST_IF} netns ${h.netns}`)
      bridgeCmds.push(`link set ${h.bridgePort} master ${BRIDGE} up`)
    }
    await run(ip, ['-n', bridgeNetns, '-batch', '-'], { timeoutMs: 30_000, input: bridgeCmds.map((c) => c + '\n').join('') })
    // An interface with a loopback-range address (bridge/wiring.ts).
    const addressed = (netns: string, ifname: string, address: string) => addressInNetns(this.#tools, netns, ifname, address)
    await addressed(bridgeNetns, BRIDGE, this.layout.bridgeAddress)
    await eachLimit(hosts, 8, async (h) => {
      await addressed(h.netns, HOST_IF, h.address)
      await run(ip, ['netns', 'exec', h.netns, nft, '-f', '-'], { ...T, input: RULESET })
    })
  }

  async cut(a: string, b: string, how: CutMode): Promise<void> {
    assertCutMode(how)
    const from = this.#host(a)
    const to = this.#host(b)
    if (from === to) throw new BackendError('E_BACKEND_PLAN', `cannot cut ${a} from itself`)
    const key = `${a}\0${b}`
    const prev = this.#cuts.get(key)
    if (prev?.how === how) return
    const nft = (args: string[]) => run(this.#tools.ip, ['netns', 'exec', from.netns, this.#tools.nft, ...args], T)
    if (how !== 'blackhole') {
      // Abort open connections first, while their RST can still leave: both ends see the reset now.
      await run(this.#tools.ip, ['netns', 'exec', from.netns, this.#tools.ss, ...abortConnectionsArgs(to.address)], T)
    }
    await nft(addElementArgs(how, to.address))
    if (prev) await nft(deleteElementArgs(prev.how, to.address))
    this.#cuts.set(key, { how, from, to })
  }

  async heal(a: string, b: string): Promise<void> {
    const key = `${a}\0${b}`
    const cut = this.#cuts.get(key)
    if (!cut) return
    await run(this.#tools.ip, ['netns', 'exec', cut.from.netns, this.#tools.nft, ...deleteElementArgs(cut.how, cut.to.address)], T)
    this.#cuts.delete(key)
  }

  /** The links cut now: `[a, b, how]`. */
  cuts(): [string, string, CutMode][] {
    return [...this.#cuts.values()].map((c) => [c.from.host, c.to.host, c.how])
  }

  /** Kills what still runs inside the run's namespaces and deletes them (their veths go with them). */
  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    this.#cuts.clear()
    await this.#observer?.dispose()
    await removeNamespaces(this.#tools, this.namespaces)
  }
}
