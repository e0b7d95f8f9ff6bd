import { BackendError, type CutMode } from '../core/hosts.ts'
import type { LinkEffect, LinkFaultSpec, Links } from '../core/links.ts'

/** The kernel cut that has this effect, or null: a cut cannot delay or throttle. */
export const cutModeOf = (e: LinkEffect): CutMode | null => {
  if (e.lane.mode === 'blackhole' && e.connections === 'keep' && e.listen === 'accept') return 'blackhole'
  if (e.lane.mode === 'pass' && e.connections === 'reset') return e.listen === 'refuse' ? 'down' : 'reset'
  return null
}

/** The link abilities kernel cuts have: whole links, both ways, silently or with resets. */
export const KERNEL_LINK_CAPABILITIES = ['link:blackhole', 'link:reset', 'link:refuse'] as const

/** Why kernel cuts cannot give a link ability they lack; null for what is not a link ability of theirs to explain. */
export const kernelLinkLacks = (capability: string): string | null => {
  if (capability === 'link:delay' || capability === 'link:throttle')
    return 'it cuts whole links in the kernel (blackhole, reset, down); a delay or a rate limit needs netem, which this kernel lacks, or the link proxies'
  if (capability === 'link:one-way') return 'a kernel cut acts both ways'
  if (capability === 'link:partial') return 'a kernel cut hits every connection of the link'
  return null
}

/** What cuts links between two hosts (a netns or docker host set). */
export interface Cutter {
  cut(a: string, b: string, how: CutMode): Promise<void>
  heal(a: string, b: string): Promise<void>
}

/**
 * Link faults as kernel cuts (the netns backend): a fault on a group's links to some
 * orchestrators cuts the link between the group's host and each orchestrator's host
 * (`hosts.cut`, nftables in the group's namespace). No proxy sits in the path: nodes dial the
 * orchestrators' own addresses.
 *
 * Only what a cut can mean is accepted (blackhole, reset, down; both directions; every
 * connection); plan time already refused the rest (config/requirements.ts). Faults may
 * overlap on one link: the link stays cut while any of them is active, with the mode of the
 * latest, and heals when the last one does.
 */
type Link = { group: string; orch: string }
const key = (l: Link): string => `${l.group}\0${l.orch}`

export class KernelLinks implements Links {
  readonly proxied = false
  readonly aliases: ReadonlyMap<string, string> = new Map()
  readonly #hosts: Cutter
  /** how many of the group's nodes the fault hits (its `hit`: one connection each) */
  readonly #connected: (group: string, orchestrators: string[]) => number
  /** per link, the active faults on it in order of application */
  readonly #onLink = new Map<string, { id: string; how: CutMode }[]>()
  /** per fault id, the links it cut */
  readonly #links = new Map<string, Link[]>()

  constructor(hosts: Cutter, connected: (group: string, orchestrators: string[]) => number = () => 0) {
    this.#hosts = hosts
    this.#connected = connected
  }

  /** Nodes dial the orchestrators' own addresses: nothing to set up, no proxy to give. */
  async attach(): Promise<void> {}
  addressFor(): string | undefined {
    return undefined
  }
  async dispose(): Promise<void> {}

  async apply(f: LinkFaultSpec): Promise<{ hit: number }> {
    const how = cutModeOf(f.effect)
    if (how === null) throw new BackendError('E_BACKEND_UNSUPPORTED', `a ${f.type} fault cannot be a kernel cut: use --backend process`)
    if (f.direction !== 'both' || f.probability !== 1)
      throw new BackendError(
        'E_BACKEND_UNSUPPORTED',
        'a kernel cut (netns) acts both ways on every connection: use --backend process for one-way or partial link faults',
      )
    const hit = this.#connected(f.group, f.orchestrators)
    const links = f.orchestrators.map((orch) => ({ group: f.group, orch }))
    this.#links.set(f.id, links)
    for (const l of links) {
      const stack = this.#onLink.get(key(l)) ?? []
      stack.push({ id: f.id, how })
      this.#onLink.set(key(l), stack)
      await this.#hosts.cut(l.group, l.orch, how)
    }
    return { hit }
  }

  async heal(id: string): Promise<void> {
    const links = this.#links.get(id)
    if (!links) return
    this.#links.delete(id)
    for (const l of links) {
      const stack = (this.#onLink.get(key(l)) ?? []).filter((x) => x.id !== id)
      const still = stack.at(-1)
      if (still === undefined) {
        this.#onLink.delete(key(l))
        await this.#hosts.heal(l.group, l.orch)
      } else {
        this.#onLink.set(key(l), stack)
        await this.#hosts.cut(l.group, l.orch, still.how)
      }
    }
  }

  /** The links cut now, with their mode: `group/orch` → mode. */
  cutNow(): Map<string, CutMode> {
    return new Map([...this.#onLink].map(([k, s]) => [k.replace('\0', '/'), (s.at(-1) as { how: CutMode }).how]))
  }
}
