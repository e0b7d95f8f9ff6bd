import { AgentProcess } from '../../../platform/agent-process.ts'
import { NetsimError } from '../../../core/errors.ts'
import type { LinkCommand } from './link-main.ts'
import type { LinkFaultSpec } from './link-fault.ts'
import type { KernelLinks } from '../../netns/kernel-links.ts'

/**
 * The harness's handle on the link process. Only scenarios with link faults use it: then each
 * node group reaches each orchestrator through a proxy of its own. Commands are serialised (one
 * reply outstanding at a time), which keeps request and reply paired without ids.
 *
 * On the netns backend the links are the kernel's: `LinkLayer.kernel` applies the same faults as
 * cuts between namespaces (kernel-links.ts), with no link process and no proxies, so steps and
 * faults drive either the same way.
 */
export class LinkLayer {
  readonly #agent: AgentProcess | null
  readonly #kernel: KernelLinks | null
  #chain: Promise<unknown> = Promise.resolve()
  /** proxy address -> server address, for the recorder */
  readonly aliases = new Map<string, string>()
  readonly #proxy = new Map<string, string>()

  private constructor(agent: AgentProcess | null, kernel: KernelLinks | null) {
    this.#agent = agent
    this.#kernel = kernel
  }

  static start(runId: string): LinkLayer {
    return new LinkLayer(new AgentProcess(new URL('./link-main.ts', import.meta.url), [runId, 'links'], () => {}), null)
  }

  /** Link faults as kernel cuts (netns): nodes reach servers directly, `proxyFor` has nothing. */
  static kernel(links: KernelLinks): LinkLayer {
    return new LinkLayer(null, links)
  }

  /** Whether nodes reach servers through proxies (false: kernel cuts, direct addresses). */
  get proxied(): boolean {
    return this.#agent !== null
  }

  #call<T>(cmd: LinkCommand, replyType: string): Promise<T> {
    const agent = this.#agent
    if (agent === null)
      return Promise.reject(new NetsimError('E_WORKER', `link layer: ${cmd.type} needs the link process, and this run cuts links in the kernel`))
    const next = this.#chain.then(async () => {
      const reply = agent.waitFor(replyType, 10_000)
      agent.send(cmd)
      try {
        return (await reply) as unknown as T
      } catch (err) {
        throw new NetsimError('E_WORKER', `link process: ${cmd.type} failed: ${(err as Error).message}`, { cause: err })
      }
    })
    this.#chain = next.catch(() => {})
    return next
  }

  /** Proxies from each group to an orchestrator's server (idempotent: a restart keeps them). */
  async addOrchestrator(orch: string, server: string, groups: string[], seed: number): Promise<void> {
    for (const group of groups) {
      const { address } = await this.#call<{ address: string }>({ type: 'add', group, orch, server, seed: seed + groups.indexOf(group) }, 'added')
      this.aliases.set(address, server)
      this.#proxy.set(`${group}/${orch}`, address)
    }
  }

  proxyFor(group: string, orch: string): string {
    const p = this.#proxy.get(`${group}/${orch}`)
    if (p === undefined) throw new NetsimError('E_WORKER', `no link from group ${group} to ${orch}`)
    return p
  }

  apply(fault: LinkFaultSpec): Promise<{ hit: number }> {
    if (this.#kernel) return this.#kernel.apply(fault)
    return this.#call({ type: 'apply', fault }, 'applied')
  }

  heal(id: string): Promise<void> {
    if (this.#kernel) return this.#kernel.heal(id)
    return this.#call({ type: 'heal', id }, 'healed')
  }

  /** the link process's pid; undefined with kernel cuts */
  get pid(): number | undefined {
    return this.#agent?.pid
  }

  async dispose(): Promise<void> {
    await this.#agent?.kill()
  }
}
