import { existsSync, readFileSync } from 'node:fs'
import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Availability } from '../../core/hosts.ts'
import { runtimeClient } from './testcontainers.ts'

/**
 * Whether a Docker engine answers, within a deadline (5 s by default), and never leaving a
 * socket behind that would keep the process alive: first a plain `GET /_ping` to the engine
 * DOCKER_HOST names (unix:// or tcp://, TLS when DOCKER_TLS_VERIFY is set) or to the usual
 * sockets, aborted at the deadline; then testcontainers' own runtime lookup (which also reads
 * ~/.testcontainers.properties and handles ssh://), raced against what is left of the deadline.
 * With nothing to ask, it answers at once.
 */
export type DockerTarget =
  { kind: 'unix'; socketPath: string } | { kind: 'tcp'; host: string; port: number; tls: boolean } | { kind: 'other'; url: string } // ssh:// and the like: testcontainers decides

const DEFAULT_SOCKETS = (env: NodeJS.ProcessEnv): string[] => [
  '/var/run/docker.sock',
  ...(env.XDG_RUNTIME_DIR ? [join(env.XDG_RUNTIME_DIR, 'docker.sock')] : []),
  join(homedir(), '.docker', 'run', 'docker.sock'),
  join(homedir(), '.docker', 'desktop', 'docker.sock'),
]

/** Where the engine should be, from DOCKER_HOST or the usual sockets (pure but for existsSync). */
export const dockerTarget = (env: NodeJS.ProcessEnv = process.env, exists: (p: string) => boolean = existsSync): DockerTarget | null => {
  const host = env.DOCKER_HOST
  if (host !== undefined && host !== '') {
    if (host.startsWith('unix://')) return { kind: 'unix', socketPath: host.slice('unix://'.length) }
    if (host.startsWith('tcp://')) {
      const u = new URL(host.replace(/^tcp:/, 'http:'))
      const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0'
      return { kind: 'tcp', host: u.hostname, port: u.port === '' ? (tls ? 2376 : 2375) : Number(u.port), tls }
    }
    return { kind: 'other', url: host }
  }
  const sock = DEFAULT_SOCKETS(env).find((p) => exists(p))
  return sock === undefined ? null : { kind: 'unix', socketPath: sock }
}

export const describeTarget = (t: DockerTarget): string =>
  t.kind === 'unix' ? `unix://${t.socketPath}` : t.kind === 'tcp' ? `tcp://${t.host}:${t.port}${t.tls ? ' (TLS)' : ''}` : t.url

/** `GET /_ping`; resolves with null when the engine answered OK, else why not. Never outlives `timeoutMs`. */
export const pingEngine = (
  target: Exclude<DockerTarget, { kind: 'other' }>,
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | null> =>
  new Promise((resolve) => {
    let settled = false
    const done = (why: string | null) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      resolve(why)
    }
    const base: RequestOptions = { method: 'GET', path: '/_ping', agent: false }
    let req: ReturnType<typeof httpRequest>
    try {
      if (target.kind === 'unix') req = httpRequest({ ...base, socketPath: target.socketPath })
      else if (!target.tls) req = httpRequest({ ...base, host: target.host, port: target.port })
      else {
        const certDir = env.DOCKER_CERT_PATH ?? join(homedir(), '.docker')
        const read = (f: string) => readFileSync(join(certDir, f))
        req = httpsRequest({ ...base, host: target.host, port: target.port, ca: read('ca.pem'), cert: read('cert.pem'), key: read('key.pem') })
      }
    } catch (e) {
      resolve(`cannot reach ${describeTarget(target)}: ${(e as Error).message}`)
      return
    }
    const timer = setTimeout(() => done(`${describeTarget(target)} did not answer within ${timeoutMs} ms`), timeoutMs)
    req.on('response', (res) => {
      res.resume()
      done(res.statusCode === 200 ? null : `${describeTarget(target)} answered /_ping with HTTP ${res.statusCode}`)
    })
    req.on('error', (e) => done(`cannot reach ${describeTarget(target)}: ${(e as NodeJS.ErrnoException).code ?? e.message}`))
    req.end()
  })

const HINT = '`npm run setup` installs and starts one (as root on Debian); or point DOCKER_HOST at a running engine; or use --backend process / netns'

export const dockerAvailable = async (opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Availability> => {
  const env = opts.env ?? process.env
  const timeoutMs = opts.timeoutMs ?? 5_000
  const deadline = Date.now() + timeoutMs
  const target = dockerTarget(env)
  const tcConfig = existsSync(join(homedir(), '.testcontainers.properties'))
  if (target === null && !tcConfig) {
    return { ok: false, reason: 'no Docker engine: DOCKER_HOST is unset and there is no Docker socket (/var/run/docker.sock, …)', hint: HINT }
  }
  if (target !== null && target.kind !== 'other') {
    const why = await pingEngine(target, timeoutMs, env)
    if (why !== null) return { ok: false, reason: `no Docker engine answering: ${why}`, hint: HINT }
  }
  // The engine answers: ask testcontainers, which is what the backend will use.
  let timer: NodeJS.Timeout | undefined
  try {
    const left = Math.max(1, deadline - Date.now())
    const outcome = await Promise.race([
      runtimeClient().then(() => null),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`testcontainers found no runtime within ${timeoutMs} ms`), left)
        timer.unref()
      }),
    ])
    if (outcome !== null) return { ok: false, reason: outcome, hint: HINT }
    return { ok: true }
  } catch (e) {
    return { ok: false, reason: `testcontainers: ${(e as Error).message}`, hint: HINT }
  } finally {
    clearTimeout(timer)
  }
}
