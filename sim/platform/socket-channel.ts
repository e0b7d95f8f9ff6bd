import { rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import type { Channel } from '../core/placement.ts'
import { encodeFrame, FrameDecoder, reachableSocketPath } from './socket-frames.ts'

/**
 * The harness's end of an agent's channel where no IPC channel can reach the agent (it runs in a
 * container): a unix socket in the run's directory, which the container mounts at the same
 * path, so the agent needs no network to report. The agent connects once (its side is
 * parent-channel.ts, named by NETSIM_CHANNEL); messages sent before it did are queued. The
 * socket file is removed when the agent's connection ends or the channel is closed.
 */
export class SocketChannel implements Channel {
  readonly path: string
  readonly #server: Server
  #socket: Socket | null = null
  #queue: Buffer[] = []
  readonly #listeners: ((m: unknown) => void)[] = []
  readonly connected: Promise<void>
  /** resolves when the agent's connection ends (or never came and the channel was closed) */
  readonly closed: Promise<void>
  #closeNow: () => void = () => undefined

  private constructor(path: string, server: Server) {
    this.path = path
    this.#server = server
    let onConnect: () => void = () => undefined
    this.connected = new Promise((resolve) => (onConnect = resolve))
    this.closed = new Promise((resolve) => (this.#closeNow = resolve))
    server.on('connection', (s) => {
      if (this.#socket !== null) return void s.destroy() // one agent per channel
      this.#socket = s
      server.close() // nobody else may connect; the accepted socket lives on
      const decoder = new FrameDecoder()
      s.on('data', (chunk) => {
        for (const m of decoder.push(chunk)) for (const l of this.#listeners) l(m)
      })
      s.on('close', () => this.close())
      s.on('error', () => undefined) // 'close' follows: the agent is gone either way
      for (const f of this.#queue) s.write(f)
      this.#queue = []
      onConnect()
    })
  }

  /** Listens at `path` (a stale file there is replaced). */
  static async listen(path: string): Promise<SocketChannel> {
    rmSync(path, { force: true })
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(reachableSocketPath(path), () => resolve())
    })
    server.unref() // a channel never keeps the harness alive on its own
    return new SocketChannel(path, server)
  }

  send(msg: unknown): void {
    const frame = encodeFrame(msg)
    if (this.#socket === null) this.#queue.push(frame)
    else if (!this.#socket.destroyed) this.#socket.write(frame)
  }

  onMessage(fn: (msg: unknown) => void): void {
    this.#listeners.push(fn)
  }

  close(): void {
    this.#socket?.destroy()
    this.#server.close()
    rmSync(this.path, { force: true })
    this.#closeNow()
  }
}
