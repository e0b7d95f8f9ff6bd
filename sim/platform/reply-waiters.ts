/**
 * Replies awaited from a child process, by message type: the agents' IPC messages and the
 * reference client's control lines work the same way. A wait ends with the first message of
 * its type, its timeout, or the process's end (`failAll`), whichever comes first.
 */
export class ReplyWaiters<M extends { type: string }> {
  #waiters: { type: string; resolve: (m: M) => void; reject: (e: Error) => void }[] = []

  /** Resolves with the next message of this type; rejects when `timeoutMs` passes first. */
  wait(type: string, timeoutMs: number): Promise<M> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        reject(new Error(`no "${type}" within ${timeoutMs} ms`))
      }, timeoutMs)
      const waiter = {
        type,
        resolve: (m: M) => (clearTimeout(timer), resolve(m)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      }
      this.#waiters.push(waiter)
    })
  }

  /** Hands `m` to the oldest wait for its type; false when nobody waited for it. */
  deliver(m: M): boolean {
    const i = this.#waiters.findIndex((w) => w.type === m.type)
    if (i < 0) return false
    this.#waiters.splice(i, 1)[0]?.resolve(m)
    return true
  }

  /** Fails every wait: the process is gone. `why` completes "<why>, before "<type>"". */
  failAll(why: string): void {
    for (const w of this.#waiters.splice(0)) w.reject(new Error(`${why}, before "${w.type}"`))
  }
}
