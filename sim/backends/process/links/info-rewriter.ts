/**
 * Rewrites the `connect_urls` of INFO lines in a NATS server→client byte stream, so that a
 * client behind a link proxy learns the proxies of the other orchestrators (not the servers
 * themselves) from the cluster's gossip. Everything else passes through unchanged.
 *
 * The stream is parsed just enough to be safe: MSG/HMSG payloads are skipped by their byte
 * counts, so payload bytes that happen to read "INFO " are never touched.
 */
export type AddressMap = (serverHostPort: string) => string | undefined

const CRLF = Buffer.from('\r\n')

export class InfoRewriter {
  #buf: Buffer = Buffer.alloc(0)
  /** payload bytes (plus CRLF) still to pass through untouched */
  #skip = 0
  readonly #map: AddressMap

  constructor(map: AddressMap) {
    this.#map = map
  }

  /** Feeds a chunk; returns the bytes to forward now (possibly empty while a line is split). */
  push(chunk: Buffer): Buffer {
    const out: Buffer[] = []
    let data = this.#buf.length > 0 ? Buffer.concat([this.#buf, chunk]) : chunk
    this.#buf = Buffer.alloc(0)
    while (data.length > 0) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, data.length)
        out.push(data.subarray(0, n))
        data = data.subarray(n)
        this.#skip -= n
        continue
      }
      const eol = data.indexOf(CRLF)
      if (eol < 0) {
        this.#buf = Buffer.from(data) // wait for the rest of the line
        break
      }
      const line = data.subarray(0, eol)
      data = data.subarray(eol + 2)
      out.push(this.#line(line), CRLF)
    }
    return out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out)
  }

  #line(line: Buffer): Buffer {
    const head = line.subarray(0, 5).toString('latin1').toUpperCase()
    if (head.startsWith('MSG ') || head.startsWith('HMSG ')) {
      // MSG <subject> <sid> [reply] <#bytes>; HMSG <subject> <sid> [reply] <#hdr> <#total>
      const parts = line.toString('latin1').trim().split(/\s+/)
      this.#skip = Number(parts[parts.length - 1]) + 2
      return line
    }
    if (head === 'INFO ') {
      try {
        const info = JSON.parse(line.subarray(5).toString('utf8')) as { connect_urls?: string[] }
        if (Array.isArray(info.connect_urls)) {
          info.connect_urls = info.connect_urls.map((u) => this.#map(u) ?? u)
          return Buffer.from(`INFO ${JSON.stringify(info)}`)
        }
      } catch {
        // not JSON we understand: forward as is
      }
    }
    return line
  }
}
