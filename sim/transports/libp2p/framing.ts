import type { MessageStream } from '@libp2p/interface'

/**
 * One JSON value per frame on a libp2p stream: a 4-byte big-endian length, then UTF-8 JSON.
 *
 * libp2p 3 streams are message streams (`send()`, 'message' events, async iteration) with no
 * framing of their own. `lpStream` in @libp2p/utils and `it-length-prefixed` exist in
 * node_modules only as libp2p's own dependencies, not ours; a dozen lines here avoid depending
 * on another package's internals. The wire format is netsim's (Bacalhau's bprotocol frames
 * differ); both ends are ours.
 */
const HEADER = 4
/** A request or reply is a few hundred bytes; anything near this is a bug or garbage. */
export const MAX_FRAME = 1 << 20

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class FrameError extends Error {
  override name = 'FrameError'
}

export const encodeFrame = (value: unknown): Uint8Array => {
  const body = encoder.encode(JSON.stringify(value))
  if (body.byteLength > MAX_FRAME) throw new FrameError(`frame of ${body.byteLength} bytes exceeds ${MAX_FRAME}`)
  const out = new Uint8Array(HEADER + body.byteLength)
  new DataView(out.buffer).setUint32(0, body.byteLength)
  out.set(body, HEADER)
  return out
}

export const writeFrame = async (stream: MessageStream, value: unknown): Promise<void> => {
  // send() returns false when the muxer's buffer is full: wait for it to drain.
  if (!stream.send(encodeFrame(value))) await stream.onDrain()
}

/**
 * Reads exactly one frame. Bytes after it are left unread (this protocol sends one frame each
 * way). Rejects if the stream ends first; a timeout is the caller's: abort the stream.
 */
export const readFrame = async (stream: MessageStream): Promise<unknown> => {
  let buf = new Uint8Array(0)
  for await (const chunk of stream) {
    const bytes = chunk.subarray()
    const joined = new Uint8Array(buf.byteLength + bytes.byteLength)
    joined.set(buf)
    joined.set(bytes, buf.byteLength)
    buf = joined
    if (buf.byteLength < HEADER) continue
    const length = new DataView(buf.buffer, buf.byteOffset).getUint32(0)
    if (length > MAX_FRAME) throw new FrameError(`frame header announces ${length} bytes, more than ${MAX_FRAME}`)
    if (buf.byteLength >= HEADER + length) return JSON.parse(decoder.decode(buf.subarray(HEADER, HEADER + length)))
  }
  throw new FrameError(`stream ended after ${buf.byteLength} bytes, before a whole frame`)
}
