import { accessSync, constants } from 'node:fs'
import { execFile } from 'node:child_process'
import { delimiter, join } from 'node:path'
import { BackendError } from '../core/hosts.ts'

export const isExecutable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Runs one command with execFile (never a shell: arguments are passed as they are), with a
 * timeout, optional stdin, and a BackendError that names the command and its stderr.
 */
export interface ExecOptions {
  timeoutMs?: number
  input?: string
  cwd?: string
  /** the whole environment (default: this process's) */
  env?: NodeJS.ProcessEnv
}

export interface ExecResult {
  stdout: string
  stderr: string
}

export class CommandError extends BackendError {
  readonly argv: string[]
  readonly stderr: string
  readonly exitCode: number | null

  constructor(argv: string[], exitCode: number | null, stderr: string, cause: unknown) {
    super(
      'E_BACKEND',
      `\`${argv.join(' ')}\` failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim() || String((cause as Error)?.message ?? cause)}`,
      { cause },
    )
    this.name = 'CommandError'
    this.argv = argv
    this.exitCode = exitCode
    this.stderr = stderr
  }
}

export const run = (file: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> =>
  new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        timeout: opts.timeoutMs ?? 10_000,
        killSignal: 'SIGKILL',
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
        ...(opts.env === undefined ? {} : { env: opts.env }),
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null
          const why = (err as { killed?: boolean }).killed ? `timed out after ${opts.timeoutMs ?? 10_000} ms ${stderr}` : stderr
          reject(new CommandError([file, ...args], code, why, err))
        } else resolve({ stdout, stderr })
      },
    )
    if (opts.input !== undefined) child.stdin?.end(opts.input)
    else child.stdin?.end()
  })

/** The path of a system binary: the PATH, then the sbin dirs a non-root PATH often lacks. */
export const findBinary = (name: string, env: NodeJS.ProcessEnv = process.env): string | null => {
  for (const dir of [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin']) {
    if (dir === '') continue
    const p = join(dir, name)
    if (isExecutable(p)) return p
  }
  return null
}
