/**
 * A tiny NATS-protocol probe (the netns and docker tests), driven by one command at a time:
 *
 * - `{"op":"connect","id":"a","host":…,"port":…,"timeoutMs":…}`: opens a connection and waits
 *   for the server's INFO, then sends CONNECT; the connection is kept under `id`.
 * - `{"op":"ping","id":"a","timeoutMs":…}`: PING on a kept connection, waits for PONG.
 *
 * Answers: `{"ok":true,"ms":…}` or `{"ok":false,"ms":…,"error":"ECONNRESET"|"timeout"|…}`.
 * A kept connection that failed meanwhile answers a ping with the error it had.
 */
import { connect, type Socket } from 'node:net'

interface Kept {
  socket: Socket
  buffer: string
  error: string | null
  /** PONGs still due for pings that timed out: the next ping skips them */
  stalePongs: number
  waiting: ((line: string | null) => void) | null
}

const kept = new Map<string, Kept>()
const errorCode = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? String(e)

/**
 * Waits for the `count`-th line starting with `prefix` (or the socket's failure, or the
 * timeout); `onTimeout` gets how many were still missing.
 */
const waitFor = (k: Kept, prefix: string, timeoutMs: number, count = 1, onTimeout: (missing: number) => void = () => {}): Promise<string | null> =>
  new Promise((resolve) => {
    let missing = count
    const check = (): boolean => {
      for (;;) {
        const lines = k.buffer.split('\r\n')
        const i = lines.findIndex((l) => l.startsWith(prefix))
        if (i < 0) return false
        k.buffer = lines.slice(i + 1).join('\r\n')
        if (--missing === 0) return true
      }
    }
    if (check()) return resolve(null)
    if (k.error) return resolve(k.error)
    const timer = setTimeout(() => {
      k.waiting = null
      onTimeout(missing)
      resolve('timeout')
    }, timeoutMs)
    k.waiting = (err) => {
      if (err !== null) {
        clearTimeout(timer)
        k.waiting = null
        resolve(err)
      } else if (check()) {
        clearTimeout(timer)
        k.waiting = null
        resolve(null)
      }
    }
  })

const open = (id: string, host: string, port: number): Kept => {
  const socket = connect({ host, port })
  const k: Kept = { socket, buffer: '', error: null, stalePongs: 0, waiting: null }
  socket.setEncoding('utf8')
  socket.on('data', (d: string) => {
    k.buffer += d
    k.waiting?.(null)
  })
  socket.on('error', (e) => {
    k.error ??= errorCode(e)
    k.waiting?.(k.error)
  })
  socket.on('close', () => {
    k.error ??= 'closed'
    k.waiting?.(k.error)
  })
  kept.get(id)?.socket.destroy()
  kept.set(id, k)
  return k
}

export type Command = { op: 'connect'; id: string; host: string; port: number; timeoutMs: number } | { op: 'ping'; id: string; timeoutMs: number }

export const handle = async (c: Command): Promise<object> => {
  const t0 = performance.now()
  const done = (err: string | null) => ({ ok: err === null, ms: Math.round(performance.now() - t0), ...(err === null ? {} : { error: err }) })
  if (c.op === 'connect') {
    const k = open(c.id, c.host, c.port)
    const err = await waitFor(k, 'INFO ', c.timeoutMs)
    if (err === null) k.socket.write('CONNECT {"verbose":false,"pedantic":false}\r\n')
    else k.socket.destroy()
    return done(err)
  }
  const k = kept.get(c.id)
  if (!k) return done('no such connection')
  if (k.error) return done(k.error)
  k.socket.write('PING\r\n')
  const owed = k.stalePongs
  k.stalePongs = 0
  return done(await waitFor(k, 'PONG', c.timeoutMs, owed + 1, (missing) => (k.stalePongs = missing)))
}

/** Closes every kept connection. */
export const closeAll = (): void => {
  for (const k of kept.values()) k.socket.destroy()
}
