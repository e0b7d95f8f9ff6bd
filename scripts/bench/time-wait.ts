import { readFileSync } from 'node:fs'
import { sleep } from '../../sim/core/clock.ts'

/** TCP sockets in TIME_WAIT on this machine (Linux /proc/net/sockstat), or null elsewhere. */
export const timeWaitCount = (): number | null => {
  try {
    const m = /^TCP:.*\btw (\d+)/m.exec(readFileSync('/proc/net/sockstat', 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/**
 * Waits (up to `maxMs`) until the TIME_WAIT sockets of earlier runs are gone. A 10,000-node run
 * opens and closes more than 10,000 loopback connections; the next run's connects then compete
 * with tens of thousands of TIME_WAIT entries for the 28,000 ephemeral ports, and measured a
 * 10,000-node start 3-5 s slower. Each measured phase starts from a clean slate instead.
 */
export const waitForTimeWait = async (opts: { below?: number; maxMs?: number; log?: (s: string) => void } = {}): Promise<void> => {
  const below = opts.below ?? 1000
  const deadline = Date.now() + (opts.maxMs ?? 90_000)
  let n = timeWaitCount()
  if (n === null || n < below) return
  opts.log?.(`bench: waiting for ${n} TIME_WAIT sockets of earlier runs to expire`)
  while (n !== null && n >= below && Date.now() < deadline) {
    await sleep(2000)
    n = timeWaitCount()
  }
}
