import { z } from 'zod'
import { PROFILE_NAMES, TIMER_NAMES } from '../model/profiles.ts'
import { checkDurationSyntax } from '../core/duration.ts'
import { CompareSettingsSchema } from '../compare/tolerance.ts'
import { RegressSettingsSchema } from './regress-settings.ts'
import { BACKEND_NAMES } from '../core/hosts.ts'

/** Fault types an orchestrator can be hit with (DESIGN.md §2: faults act on processes). */
export const FAULT_TYPES = ['kill', 'stop', 'freeze', 'lame-duck'] as const
export type FaultType = (typeof FAULT_TYPES)[number]

/** How nodes talk (DESIGN.md §2): NATS (Bacalhau v1.3+) or libp2p (the transport before it). */
export const TRANSPORTS = ['nats', 'libp2p'] as const
export type Transport = (typeof TRANSPORTS)[number]

/** A duration: ms, `2s`, or an expression over the scaled timers (`3 * ping_interval`). */
export const durationSchema = z.union([z.number().nonnegative(), z.string()]).superRefine((v, ctx) => {
  const problem = checkDurationSyntax(v, TIMER_NAMES)
  if (problem) ctx.addIssue({ code: 'custom', message: `expected a duration (500ms, 2s, or an expression like "3 * ping_interval"): ${problem}` })
})

/** A timer override in Bacalhau's units: a plain duration, no timer names. */
const timerValue = z.union([z.number().nonnegative(), z.string()]).superRefine((v, ctx) => {
  const problem = checkDurationSyntax(v, [])
  if (problem) ctx.addIssue({ code: 'custom', message: `expected a duration such as 15s or 500ms: ${problem}` })
})

export const timersOverrideSchema = z.strictObject(
  Object.fromEntries(TIMER_NAMES.map((n) => [n, timerValue.nullable().optional()])) as Record<
    string,
    z.ZodOptional<z.ZodNullable<typeof timerValue>>
  >,
)

/**
 * Settings that every layer may set: defaults < harness.config.yaml < scenario < flags.
 */
export const settingsShape = {
  /** nats or libp2p (`--network`) */
  transport: z.enum(TRANSPORTS),
  /** where hosts live and how links break (`--backend`): process, netns or docker (sim/backends) */
  backend: z.enum(BACKEND_NAMES),
  profile: z.enum(PROFILE_NAMES),
  time_scale: z.number().positive().max(100),
  seed: z.number().int().nonnegative(),
  fault: z.enum(FAULT_TYPES),
  timers: timersOverrideSchema,
  workers: z.union([z.literal('auto'), z.number().int().positive().max(64)]),
  start_concurrency: z.number().int().positive(),
  server_order: z.enum(['go', 'js']),
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
  /** `netsim compare` and the regression suite: alpha and tolerances (sim/compare/tolerance.ts) */
  compare: CompareSettingsSchema,
  /** the regression set (sim/regress/regress-config.ts) */
  regress: RegressSettingsSchema,
}

export const settingsSchema = z.strictObject(settingsShape).partial()
export type Settings = z.infer<typeof settingsSchema>
