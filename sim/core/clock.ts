import { performance } from 'node:perf_hooks'

/**
 * The one clock. Readings are epoch milliseconds with sub-millisecond resolution: a monotonic
 * `performance.now()` anchored at the process's `timeOrigin`, so readings from the harness,
 * the orchestrator agents and the compute workers (separate processes on one machine) can be
 * put on one timeline.
 */
export const now = (): number => performance.timeOrigin + performance.now()

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
