import { z } from 'zod'

/**
 * The regression set (harness.config.yaml `regress:`): small versions of the built-in
 * scenarios, each run and compared with its stored baseline `reports/baselines/<scenario>.csv`.
 */
export const RegressEntrySchema = z.strictObject({
  scenario: z.string().min(1),
  nodes: z.number().int().positive().optional(),
  time_scale: z.number().positive().optional(),
  seed: z.number().int().nonnegative().optional(),
  workers: z.number().int().positive().optional(),
})

export const RegressSettingsSchema = z.strictObject({
  /** runs pooled into a baseline by `netsim baseline update` */
  baseline_runs: z.number().int().min(1).max(20).default(3),
  scenarios: z.array(RegressEntrySchema).min(1),
})

export type RegressEntry = z.infer<typeof RegressEntrySchema>
export type RegressSettings = z.infer<typeof RegressSettingsSchema>
