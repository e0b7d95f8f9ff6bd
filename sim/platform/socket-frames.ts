import { openSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import { deserialize, serialize } from 'node:v8'

/**
 * Messages over a unix socket with the meaning of Node's `serialization: 'advanced'` IPC: each
 * frame is a 4-byte big-endian length and a v8-serialized value (structured clone), so an agent
 * sends the same messages over a socket as over IPC (docs/backends.md, "docker").
 */
export const encodeFrame = (msg: unknown): Buffer => {
  const body = serialize(msg)
  const head = Buffer.alloc(4)
  head.writeUInt32BE(body.length)
  return Buffer.concat([head, body])
}

/** Cuts a byte stream into the values it carries. */
export class FrameDecoder {
  #buf: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): unknown[] {
    this.#buf = this.#buf.length === 0 ? chunk : Buffer.concat([this.#buf, chunk])
    const out: unknown[] = []
    while (this.#buf.length >= 4) {
      const len = this.#buf.readUInt32BE(0)
      if (this.#buf.length < 4 + len) break
      out.push(deserialize(this.#buf.subarray(4, 4 + len)))
      this.#buf = this.#buf.subarray(4 + len)
    }
    return out
  }
}

/** A unix socket's path is at most 107 bytes (sun_path); a run dir under a test's fixtures is often longer. */
const SUN_PATH_MAX = 107

/**
 * A path that reaches `path` within sun_path's limit: itself when short enough, else through
 * an open descriptor of its directory (`/proc/self/fd/<n>/<name>`, which the kernel resolves
 * like the directory itself, for bind and connect alike). The descriptor stays open for the
 * process's life: one per socket directory, a handful per run.
 */
export const reachableSocketPath = (path: string): string => {
  if (Buffer.byteLength(path) <= SUN_PATH_MAX) return path
  const fd = openSync(dirname(path), 'r')
  return `/proc/self/fd/${fd}/${basename(path)}`
}
