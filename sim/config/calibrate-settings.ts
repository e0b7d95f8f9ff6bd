import { z } from 'zod'
import { durationSchema } from '../plan/duration-schema.ts'

/**
 * The `calibrate:` settings of harness.config.yaml (docs/calibration.md): how `netsim calibrate`
 * runs the simulated nodes against real nats.go clients, and when a difference is out of bounds.
 *
 * ```yaml
 * calibrate:
 *   bound: 1.25            # simulated / nats.go must lie within [1/1.25, 1.25] ...
 *   floor: 0.5 * reconnect_wait  # ... or differ by at most this: half the smallest step the
 *                          #   order-and-backoff model takes (100 ms at time scale 0.1)
 *   nodes: 60              # per run
 *   repeats: 3             # runs per side and fault; the table compares medians
 *   seed: 1                # repeat k of both sides uses seed + k
 *   faults: [kill, stop, freeze, blackhole, restart]
 *   check:                 # the CI tier (`npm run calibrate:check`): smaller and faster
 *     nodes: 30
 *     repeats: 3
 *     faults: [kill, freeze]
 * ```
 */
export const CALIBRATED_FAULTS = ['kill', 'stop', 'freeze', 'blackhole', 'restart'] as const
export type CalibratedFaultName = (typeof CALIBRATED_FAULTS)[number]

const faults = z
  .array(z.enum(CALIBRATED_FAULTS))
  .min(1)
  .refine((fs) => new Set(fs).size === fs.length, 'each fault once')

const RunShape = {
  nodes: z.number().int().min(3).max(100_000),
  repeats: z.number().int().min(1).max(50),
  faults,
}

export const CalibrateSettingsSchema = z.strictObject({
  bound: z.number().gt(1, 'must be > 1 (a ratio)').default(1.25),
  floor: durationSchema.default('0.5 * reconnect_wait'),
  seed: z.number().int().nonnegative().default(1),
  nodes: RunShape.nodes.default(60),
  repeats: RunShape.repeats.default(3),
  faults: faults.default([...CALIBRATED_FAULTS]),
  check: z
    .strictObject({ nodes: RunShape.nodes.default(30), repeats: RunShape.repeats.default(3), faults: faults.default(['kill', 'freeze']) })
    .prefault({}),
})

export type CalibrateSettings = z.infer<typeof CalibrateSettingsSchema>
