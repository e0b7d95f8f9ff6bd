import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { NetsimError } from '../core/errors.ts'
import { Secret } from '../core/secret.ts'
import type { PlanAuth } from '../plan/run-plan.ts'

/**
 * Where a run's token comes from, strongest first: `--token`, `--token-file`,
 * `NETSIM_AUTH_TOKEN`, `node.network.authsecret(_file)` in the scenario, then in
 * harness.config.yaml; with none of them, a fresh random token (secure by default: never a
 * committed constant). Errors name the source and never the value.
 */
export interface TokenSources {
  flag?: string
  flagFile?: string
  env?: string
  /** node.network from the scenario, then from the harness config, with the file each came from */
  configs: { file: string; authsecret?: string; authsecret_file?: string }[]
}

const readTokenFile = (path: string, what: string): string => {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new NetsimError('E_CONFIG', `${what}: cannot read token file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`)
  }
  const token = text.replace(/\r?\n$/, '')
  if (token === '') throw new NetsimError('E_CONFIG', `${what}: token file ${path} is empty`)
  const problem = tokenProblem(token)
  if (problem) throw new NetsimError('E_CONFIG', `${what}: token file ${path} ${problem}`)
  return token
}

/**
 * What makes a token unusable (never quoting it): only whitespace, or a line break or other
 * control character (a token is one line: Bacalhau reads it from a flag, an environment
 * variable or a config value, and a file's second line is almost always a mistake).
 */
export const tokenProblem = (token: string): string | null => {
  if (token.trim() === '') return `holds only whitespace (${token.length} character${token.length === 1 ? '' : 's'})`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(token)) return 'holds a line break or another control character: a token is one line'
  return null
}

const checked = (token: string, what: string): string => {
  if (token === '') throw new NetsimError('E_USAGE', `${what}: expected a non-empty token`)
  const problem = tokenProblem(token)
  if (problem) throw new NetsimError('E_USAGE', `${what} ${problem}`)
  return token
}

/** A random token; `url-special` mixes in characters a URL must escape. */
export const generateToken = (style: 'plain' | 'url-special'): string => {
  const base = randomBytes(18).toString('base64url')
  return style === 'plain' ? base : `${base.slice(0, 8)}@:/%+ ${base.slice(8)}`
}

export const resolveAuth = (src: TokenSources, opts: { mode: 'token' | 'none'; style: 'plain' | 'url-special'; routeAuth: boolean }): PlanAuth => {
  const plan = (source: PlanAuth['source'], token: string): PlanAuth => ({
    mode: opts.mode,
    source,
    style: opts.style,
    token: new Secret(token),
    routeAuth: opts.routeAuth,
  })
  if (src.flag !== undefined) return plan('flag', checked(src.flag, '--token'))
  if (src.flagFile !== undefined) return plan('file', readTokenFile(src.flagFile, '--token-file'))
  if (src.env !== undefined) {
    if (src.env === '') throw new NetsimError('E_USAGE', 'NETSIM_AUTH_TOKEN is set but empty: unset it or give it a token')
    return plan('env', checked(src.env, 'NETSIM_AUTH_TOKEN'))
  }
  for (const c of src.configs) {
    if (c.authsecret !== undefined) {
      const problem = c.authsecret === '' ? 'is empty' : tokenProblem(c.authsecret)
      if (problem) throw new NetsimError('E_CONFIG', `${c.file}: node.network.authsecret ${problem}`)
      return plan('config', c.authsecret)
    }
    if (c.authsecret_file !== undefined) return plan('config', readTokenFile(c.authsecret_file, `${c.file}: node.network.authsecret_file`))
  }
  return plan('random', generateToken(opts.style))
}
