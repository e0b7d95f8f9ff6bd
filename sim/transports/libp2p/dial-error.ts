/**
 * Stable codes for libp2p dial failures, the libp2p counterpart of sim/transports/nats/nats-error-code.ts:
 * events and metrics branch on these, never on libp2p's messages (which change between
 * versions).
 */
export type DialErrorCode =
  | 'CONNECTION_REFUSED' // nothing listens there (ECONNREFUSED)
  | 'NO_ADDRESSES' // the peer store has no address for the peer: it never announced one
  | 'PEER_ID_MISMATCH' // something answered, with another identity (Noise refused it)
  | 'TIMEOUT'
  | 'DIAL_FAILED' // anything else

const errCode = (err: unknown): string | undefined => {
  const e = err as { code?: unknown; errno?: unknown }
  return typeof e?.code === 'string' ? e.code : undefined
}

export const dialErrorCode = (err: unknown): DialErrorCode => {
  const e = err as Error | undefined
  const name = e?.name ?? ''
  const message = e?.message ?? ''
  // libp2p wraps several address failures in an AggregateError; the first cause decides.
  const inner = (err as { errors?: unknown[] })?.errors?.[0]
  if (inner !== undefined) return dialErrorCode(inner)
  if (errCode(err) === 'ECONNREFUSED' || message.includes('ECONNREFUSED')) return 'CONNECTION_REFUSED'
  if (name === 'NoValidAddressesError') return 'NO_ADDRESSES'
  if (name === 'UnexpectedPeerError' || (name === 'EncryptionFailedError' && message.includes('does not match expected'))) return 'PEER_ID_MISMATCH'
  if (name === 'TimeoutError' || name === 'AbortError') return 'TIMEOUT'
  return 'DIAL_FAILED'
}
