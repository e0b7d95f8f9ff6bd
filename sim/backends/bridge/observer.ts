import { AgentProcess } from '../../platform/agent-process.ts'
import { BackendError } from '../../core/hosts.ts'
import type { HttpGet } from '../../core/placement.ts'
import type { ObserverReply } from './observer-main.ts'

/**
 * The harness's handle on the run's observer process (observer-main.ts), in the bridge
 * namespace of a netns or docker run: `get` is an HttpGet that runs inside the run's network. Requests carry ids, so any number may be in flight (the
 * cluster's mesh check polls every server at once).
 */
export class NetnsObserver {
  readonly #agent: AgentProcess
  readonly #pending = new Map<number, { resolve: (r: ObserverReply) => void; reject: (e: Error) => void }>()
  #next = 0

  private constructor(agent: AgentProcess) {
    this.#agent = agent
    agent.onMessage((raw) => {
      const m = raw as unknown as ObserverReply
      if (m.type !== 'got') return
      const p = this.#pending.get(m.id)
      this.#pending.delete(m.id)
      p?.resolve(m)
    })
    void agent.exited.then(({ code, signal }) => {
      for (const p of this.#pending.values()) p.reject(new BackendError('E_BACKEND', `the netns observer exited (${signal ?? `code ${code}`})`))
      this.#pending.clear()
    })
  }

  /** Starts it through `wrap` (into the bridge namespace); resolves once it answers. */
  static async start(runId: string, wrap: (argv: string[]) => string[]): Promise<NetnsObserver> {
    const agent = new AgentProcess(new URL('./observer-main.ts', import.meta.url), [runId, 'observer'], () => {}, undefined, { wrap })
    try {
      await agent.waitFor('ready', 15_000)
    } catch (e) {
      await agent.kill()
      throw new BackendError('E_BACKEND', `the netns observer did not start: ${(e as Error).message}`, { cause: e })
    }
    return new NetnsObserver(agent)
  }

  get pid(): number {
    return this.#agent.pid
  }

  readonly get: HttpGet = (url, timeoutMs) => {
    if (!this.#agent.running) return Promise.reject(new BackendError('E_BACKEND', 'the netns observer is not running'))
    const id = this.#next++
    return new Promise((resolve, reject) => {
      // The observer times the fetch out itself; this only guards against a lost reply.
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new Error(`no answer from the netns observer within ${timeoutMs + 1_000} ms`))
      }, timeoutMs + 1_000)
      this.#pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer)
          if ('error' in r) reject(new Error(r.error))
          else resolve({ status: r.status, body: r.body })
        },
        reject: (e) => (clearTimeout(timer), reject(e)),
      })
      this.#agent.send({ type: 'get', id, url, timeoutMs })
    })
  }

  async dispose(): Promise<void> {
    await this.#agent.kill()
  }
}
