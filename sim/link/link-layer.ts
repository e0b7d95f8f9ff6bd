import { AgentProcess } from '../ipc/agent-process.ts'
import { NetsimError } from '../errors.ts'
import type { LinkCommand } from './link-main.ts'
import type { LinkFaultSpec } from './link-fault.ts'

/**
 * The harness's handle on the link process. Only scenarios with link faults use it: then each
 * node group reaches each orchestrator through a proxy of its own. Commands are serialised (one
 * reply outstanding at a time), which keeps request and reply paired without ids.
 */
export class LinkLayer {
  readonly #agent: AgentProcess
  #chain: Promise<unknown> = Promise.resolve()
  /** proxy address -> server address, for the recorder */
  readonly aliases = new Map<string, string>()
  readonly #proxy = new Map<string, string>()

  private constructor(agent: AgentProcess) {
    this.#agent = agent
  }

  static start(runId: string): LinkLayer {
    return new LinkLayer(new AgentProcess(new URL('./link-main.ts', import.meta.url), [runId, 'links'], () => {}))
  }

  #call<T>(cmd: LinkCommand, replyType: string): Promise<T> {
    const next = this.#chain.then(async () => {
      const reply = this.#agent.waitFor(replyType, 10_000)
      this.#agent.send(cmd)
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
    return this.#call({ type: 'apply', fault }, 'applied')
  }

  heal(id: string): Promise<void> {
    return this.#call({ type: 'heal', id }, 'healed')
  }

  get pid(): number {
    return this.#agent.pid
  }

  async dispose(): Promise<void> {
    await this.#agent.kill()
  }
}
