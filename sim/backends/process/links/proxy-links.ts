import { AgentProcess } from '../../../platform/agent-process.ts'
import { NetsimError } from '../../../core/errors.ts'
import type { LinkFaultSpec, Links } from '../../../core/links.ts'
import type { LinkCommand } from './link-main.ts'

/**
 * The process backend's links: each node group reaches each orchestrator through a TCP proxy of
 * its own, in one link process (link-main.ts) so node traffic never queues behind the harness.
 * The proxies rewrite the servers' INFO gossip (info-rewriter.ts), so servers a node learns of
 * are reached through its group's links too; a fault on a group's links hits that group only.
 * Commands are serialised (one reply outstanding at a time), which keeps request and reply
 * paired without ids.
 */
export class ProxyLinks implements Links {
  readonly proxied = true
  readonly #agent: AgentProcess
  readonly #groups: string[]
  readonly #seed: number
  #chain: Promise<unknown> = Promise.resolve()
  readonly #aliases = new Map<string, string>()
  readonly #proxy = new Map<string, string>()

  constructor(opts: { runId: string; groups: string[]; seed: number }) {
    this.#agent = new AgentProcess(new URL('./link-main.ts', import.meta.url), [opts.runId, 'links'], () => undefined)
    this.#groups = opts.groups
    this.#seed = opts.seed
  }

  /** proxy address -> server address, for the recorder */
  get aliases(): ReadonlyMap<string, string> {
    return this.#aliases
  }

  #call<T>(cmd: LinkCommand, replyType: string): Promise<T> {
    const agent = this.#agent
    const next = this.#chain.then(async () => {
      const reply = agent.waitFor(replyType, 10_000)
      agent.send(cmd)
      try {
        return (await reply) as unknown as T
      } catch (err) {
        throw new NetsimError('E_WORKER', `link process: ${cmd.type} failed: ${(err as Error).message}`, { cause: err })
      }
    })
    // The chain only orders commands; each caller gets its own command's outcome.
    this.#chain = next.then(
      () => undefined,
      () => undefined,
    )
    return next
  }

  /** Proxies from each group to an orchestrator's server (idempotent: a restart keeps them). */
  async attach(orch: string, server: string): Promise<void> {
    for (const [k, group] of this.#groups.entries()) {
      const { address } = await this.#call<{ address: string }>({ type: 'add', group, orch, server, seed: this.#seed + k }, 'added')
      this.#aliases.set(address, server)
      this.#proxy.set(`${group}/${orch}`, address)
    }
  }

  addressFor(group: string, orch: string): string | undefined {
    return this.#proxy.get(`${group}/${orch}`)
  }

  apply(fault: LinkFaultSpec): Promise<{ hit: number }> {
    return this.#call({ type: 'apply', fault }, 'applied')
  }

  async heal(id: string): Promise<void> {
    await this.#call({ type: 'heal', id }, 'healed')
  }

  /** the link process's pid */
  get pid(): number {
    return this.#agent.pid
  }

  async dispose(): Promise<void> {
    await this.#agent.kill()
  }
}
