import { redactUrl } from '../core/secret.ts'
import { NetsimError } from '../core/errors.ts'

/**
 * Bacalhau's `--orchestrators` list, as a compute node reads it: a comma-separated list whose
 * entries may be `host`, `host:port`, `nats://host:port` or `nats://<token>@host:port`.
 * A token in the URL wins over the configured one (nats.go takes it from the URL; nats.js does
 * not, so netsim parses it here and passes it as the connection's token).
 */
export interface OrchestratorAddress {
  host: string
  port: number
  /** token from the URL's userinfo, percent-decoded; undefined when the entry has none */
  token?: string
  /** `host:port` as the NATS client names servers (no scheme, no token) */
  hostport: string
}

export const DEFAULT_NATS_PORT = 4222

const fail = (entry: string, why: string): never => {
  throw new NetsimError('E_ORCHESTRATOR_LIST', `cannot read orchestrator "${redactUrl(entry)}": ${why}`)
}

const parsePort = (entry: string, text: string): number => {
  if (!/^\d+$/.test(text)) fail(entry, `port "${text}" is not a number`)
  const port = Number(text)
  if (port < 1 || port > 65535) fail(entry, `port ${port} is outside 1..65535`)
  return port
}

const splitHostPort = (entry: string, text: string): { host: string; port: number } => {
  if (text.startsWith('[')) {
    const end = text.indexOf(']')
    if (end < 0) fail(entry, 'unclosed "[" in an IPv6 address')
    const host = text.slice(1, end)
    const rest = text.slice(end + 1)
    if (rest === '') return { host, port: DEFAULT_NATS_PORT }
    if (!rest.startsWith(':')) fail(entry, `unexpected "${rest}" after the address`)
    return { host, port: parsePort(entry, rest.slice(1)) }
  }
  const colon = text.lastIndexOf(':')
  if (colon < 0) return { host: text, port: DEFAULT_NATS_PORT }
  return { host: text.slice(0, colon), port: parsePort(entry, text.slice(colon + 1)) }
}

export const parseOrchestrator = (raw: string): OrchestratorAddress => {
  const entry = raw.trim()
  if (entry === '') fail(raw, 'empty entry')
  let rest = entry
  let token: string | undefined
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest)
  if (scheme) {
    if (scheme[1]?.toLowerCase() !== 'nats') fail(entry, `scheme "${scheme[1]}" is not nats://`)
    rest = rest.slice(scheme[0].length)
    const at = rest.lastIndexOf('@')
    if (at >= 0) {
      const userinfo = rest.slice(0, at)
      rest = rest.slice(at + 1)
      // user:password is not how Bacalhau authenticates; a token is the whole userinfo.
      if (userinfo === '') fail(entry, 'empty token before "@"')
      try {
        token = decodeURIComponent(userinfo)
      } catch {
        fail(entry, 'the token is not valid percent-encoding (escape "%" as %25)')
      }
    }
    if (rest.endsWith('/')) rest = rest.slice(0, -1)
    if (rest.includes('/')) fail(entry, 'a path is not allowed')
  } else if (entry.includes('@')) {
    fail(entry, 'a token is only read from a nats:// URL (nats://<token>@host:port)')
  }
  const { host, port } = splitHostPort(entry, rest)
  if (host === '') fail(entry, 'missing host')
  if (!/^[A-Za-z0-9.:_-]+$/.test(host)) fail(entry, `host "${host}" has characters a host name cannot have`)
  const hostport = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  return token === undefined ? { host, port, hostport } : { host, port, token, hostport }
}

export const parseOrchestratorList = (list: string): OrchestratorAddress[] => {
  const entries = list.split(',').filter((e) => e.trim() !== '')
  if (entries.length === 0) throw new NetsimError('E_ORCHESTRATOR_LIST', 'the orchestrator list is empty')
  return entries.map(parseOrchestrator)
}

export { redactUrl }
