import { z } from 'zod'
import { PROFILE_NAMES, TIMER_NAMES } from '../model/profiles.ts'
import { timerValueSchema } from '../plan/duration-schema.ts'
import { BACKEND_NAMES, FLEET_CLIENTS, TRANSPORT_NAMES } from '../plan/run-plan.ts'
import { PROCESS_FAULT_NAMES } from '../faults/index.ts'
import { CompareSettingsSchema } from './compare-settings.ts'
import { RegressSettingsSchema } from './regress-settings.ts'
import { CalibrateSettingsSchema } from './calibrate-settings.ts'

export { durationSchema } from '../plan/duration-schema.ts'

export const timersOverrideSchema = z.strictObject(
  Object.fromEntries(TIMER_NAMES.map((n) => [n, timerValueSchema.nullable().optional()])) as Record<
    string,
    z.ZodOptional<z.ZodNullable<typeof timerValueSchema>>
  >,
)

/**
 * Settings that every layer may set: defaults < harness.config.yaml < scenario < flags
 * (docs/scenarios.md, "Configuration layers").
 */
export const settingsShape = {
  /** nats or libp2p (`--network`) */
  transport: z.enum(TRANSPORT_NAMES),
  /** where hosts live and how links break (`--backend`): process, netns or docker (sim/backends) */
  backend: z.enum(BACKEND_NAMES),
  profile: z.enum(PROFILE_NAMES),
  time_scale: z.number().positive().max(100),
  seed: z.number().int().nonnegative(),
  /** the fault type of `fault: default` steps: a process fault of the registry (sim/faults) */
  fault: z.enum(PROCESS_FAULT_NAMES as [string, ...string[]]),
  timers: timersOverrideSchema,
  workers: z.union([z.literal('auto'), z.number().int().positive().max(64)]),
  start_concurrency: z.number().int().positive(),
  server_order: z.enum(['go', 'js']),
  /** who runs the compute nodes (`--client`): sim (netsim's nodes) or nats.go (real nats.go clients, docs/calibration.md) */
  client: z.enum(FLEET_CLIENTS),
  reports_dir: z.string().min(1),
  nats_server_bin: z.string().min(1).nullable(),
  /** Bacalhau's config key for the shared token: the orchestrators' token, and what nodes with
   *  `token: config` present. `authsecret_file` reads it from a file instead. */
  node: z
    .strictObject({
      network: z
        .strictObject({
          authsecret: z.string().min(1, 'expected a non-empty token'),
          authsecret_file: z.string().min(1, 'expected a file path'),
        })
        .partial(),
    })
    .partial(),
  /** `netsim compare` and the regression suite: alpha and tolerances (compare-settings.ts) */
  compare: CompareSettingsSchema,
  /** the regression set (regress-settings.ts) */
  regress: RegressSettingsSchema,
  /** `netsim calibrate`: simulated nodes against real nats.go clients (calibrate-settings.ts) */
  calibrate: CalibrateSettingsSchema,
}

export const settingsSchema = z.strictObject(settingsShape).partial()
export type Settings = z.infer<typeof settingsSchema>
