import { delimiter, join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { NetsimError } from '../core/errors.ts'
import { isExecutable } from './exec.ts'

const INSTALL_HINT =
  'Install it with `npm run setup` (as root it runs `apt-get install -y nats-server`), ' +
  'or `sudo apt-get install nats-server`, or point NATS_SERVER_BIN at a nats-server binary.'

/**
 * Where nats-server is: NATS_SERVER_BIN, then the PATH, then /usr/sbin and /usr/local/bin
 * (Debian's package installs to /usr/sbin, which a non-root PATH often lacks).
 */
export const findNatsServer = (env: NodeJS.ProcessEnv = process.env): string => {
  const fromEnv = env.NATS_SERVER_BIN
  if (fromEnv !== undefined && fromEnv !== '') {
    if (isExecutable(fromEnv)) return fromEnv
    throw new NetsimError('E_NATS_SERVER_MISSING', `NATS_SERVER_BIN=${fromEnv} is not an executable file. ${INSTALL_HINT}`)
  }
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']
  for (const dir of dirs) {
    if (dir === '') continue
    const candidate = join(dir, 'nats-server')
    if (isExecutable(candidate)) return candidate
  }
  throw new NetsimError('E_NATS_SERVER_MISSING', `nats-server was not found on the PATH. ${INSTALL_HINT}`)
}

/** `2.9.10`, from `nats-server --version` (cached per binary). */
const versions = new Map<string, string>()
export const natsServerVersion = (binary: string): string => {
  let v = versions.get(binary)
  if (v === undefined) {
    const out = execFileSync(binary, ['--version'], { encoding: 'utf8', timeout: 5_000 })
    v = /v?(\d+\.\d+\.\d+\S*)/.exec(out)?.[1] ?? out.trim()
    versions.set(binary, v)
  }
  return v
}

/** nats-server when there is one, else null (for run.json's versions in runs that need none). */
export const findNatsServerOrNull = (env: NodeJS.ProcessEnv = process.env): string | null => {
  try {
    return findNatsServer(env)
  } catch {
    return null
  }
}
