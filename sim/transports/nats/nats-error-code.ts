/**
 * Stable codes for NATS client errors, as they go into events and reports. The nats.js error
 * classes are matched by name (and through `cause`, where a RequestError wraps the real one).
 */
export type NatsErrorCode =
  'AUTHORIZATION_VIOLATION' | 'TIMEOUT' | 'NO_RESPONDERS' | 'CONNECTION_REFUSED' | 'CONNECTION_CLOSED' | 'PERMISSION_VIOLATION' | 'REJECTED' | 'ERROR'

export const natsErrorCode = (err: unknown): NatsErrorCode => {
  for (let e = err as { name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const name = e.name ?? ''
    const msg = (e.message ?? '').toLowerCase()
    if (name === 'AuthorizationError' || msg.includes('authorization violation')) return 'AUTHORIZATION_VIOLATION'
    if (name === 'NoRespondersError' || msg.includes('no responders')) return 'NO_RESPONDERS'
    if (name === 'TimeoutError' || msg === 'timeout') return 'TIMEOUT'
    if (name === 'PermissionViolationError') return 'PERMISSION_VIOLATION'
    if (name === 'ClosedConnectionError') return 'CONNECTION_CLOSED'
    if (msg.includes('connection refused') || (e as { code?: string }).code === 'ECONNREFUSED') return 'CONNECTION_REFUSED'
  }
  return 'ERROR'
}
