import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import {
  directHttpGet,
  type Channel,
  type HostProcess,
  type HttpGet,
  type LaunchOptions,
  type Placement,
  type ProcessExit,
} from '../core/placement.ts'

/**
 * Processes on this machine: the process backend's hosts, and the netns backend's, whose `wrap`
 * is `ip netns exec <ns>` (it execs in place, so the pid and an IPC channel's fd are the
 * process's own). Output goes straight to a file when asked: the harness's event loop never
 * carries server logs.
 */
export type Wrap = (argv: string[]) => string[]
const asIs: Wrap = (argv) => argv

export const launchLocal = (argv: string[], opts: LaunchOptions = {}, wrap: Wrap = asIs): HostProcess => {
  const full = wrap(argv)
  const out: number | 'inherit' = opts.logFile === undefined ? 'inherit' : openSync(opts.logFile, 'a', 0o600)
  const stdio: StdioOptions = opts.channel ? ['ignore', out, out, 'ipc'] : ['ignore', out, out]
  let child: ChildProcess
  try {
    child = spawn(full[0] as string, full.slice(1), {
      stdio,
      env: opts.env === undefined ? process.env : { ...process.env, ...opts.env },
      // structured clones, as fork's: events carry nested data
      ...(opts.channel ? { serialization: 'advanced' as const } : {}),
    })
  } finally {
    if (typeof out === 'number') closeSync(out)
  }
  let exit: ProcessExit | null = null
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => resolve((exit = { code, signal })))
    child.once('error', (spawnError) => resolve((exit = { code: null, signal: null, spawnError })))
  })
  const channel: Channel | null = opts.channel
    ? {
        send: (msg) => {
          if (child.connected) child.send(msg as never)
        },
        onMessage: (fn) => void child.on('message', fn),
      }
    : null
  return {
    pid: child.pid ?? 0,
    exited,
    channel,
    signal: async (sig) => {
      if (exit === null) child.kill(sig)
    },
  }
}

/** A placement on this machine: `address` as it is, commands through `wrap`, HTTP read by `httpGet`. */
export const localPlacement = (address: string, wrap: Wrap = asIs, httpGet: HttpGet = directHttpGet): Placement => ({
  address,
  httpGet,
  launch: async (argv, opts) => launchLocal(argv, opts, wrap),
  wrap,
})

/** A plain process on this machine's loopback: what netsim did before backends. */
export const LOCAL_PLACEMENT: Placement = localPlacement('127.0.0.1')
