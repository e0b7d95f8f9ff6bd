import { spawn } from 'node:child_process'

/** Runs the CLI (sim/cli/main.ts) with the node running the tests. */
export const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname
export const node = process.execPath
export const args = (...a: string[]): string[] => ['--disable-warning=ExperimentalWarning', cli, ...a]

/**
 * Starts `netsim scenario failover` with `extra` flags, reports into `out`; `runId` resolves once
 * the fleet is up (from the console), `exited` with the exit code. Killed at teardown.
 */
export const startRun = (t: { teardown: (fn: () => void) => void }, out: string, extra: string[]) => {
  const child = spawn(node, args('scenario', 'failover', ...extra, '--out', out), { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  const runId = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      const id = /run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(stderr)?.[1]
      if (id && /fleet: \d+ nodes registered/.test(stderr)) resolve(id)
    })
    child.once('exit', () => reject(new Error(`exited early:\n${stderr}`)))
  })
  t.teardown(() => child.kill('SIGKILL'))
  return { child, runId, exited: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) }
}
