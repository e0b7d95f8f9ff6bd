import { availableParallelism } from 'node:os'
import type { Settings } from './settings-schema.ts'

/**
 * The bottom layer of configuration. The time scale of 0.1 makes a 15 s heartbeat 1.5 s and a
 * 2 s reconnect wait 200 ms, so the built-in scenarios take seconds; `--time-scale 1` runs
 * Bacalhau's real timers.
 */
export const DEFAULT_SETTINGS: Required<Omit<Settings, 'seed' | 'node' | 'compare' | 'regress' | 'calibrate'>> = {
  transport: 'nats',
  backend: 'process',
  profile: 'v1.5',
  time_scale: 0.1,
  fault: 'kill',
  timers: {},
  workers: 'auto',
  start_concurrency: 100,
  server_order: 'go',
  client: 'sim',
  reports_dir: 'reports',
  nats_server_bin: null,
}

export const autoWorkers = (): number => Math.max(1, availableParallelism())
