import { z } from 'zod'

/**
 * The regression set (harness.config.yaml `regress:`): small versions of the built-in
 * scenarios, each run `runs` times with fresh seeds and compared with its stored baseline
 * `reports/baselines/<scenario>.csv` (docs/reports.md, "The regression gate").
 */
export const RegressEntrySchema = z.strictObject({
  scenario: z.string().min(1),
  nodes: z.number().int().positive().optional(),
  time_scale: z.number().positive().optional(),
  workers: z.number().int().positive().optional(),
  /** runs pooled into this scenario's candidate (default: regress.runs) */
  runs: z.number().int().min(1).max(20).optional(),
})

export const RegressSettingsSchema = z.strictObject({
  /** runs pooled into a baseline by `netsim baseline update`: its run-to-run spread needs several */
  baseline_runs: z.number().int().min(2).max(30).default(15),
  /** runs pooled into each scenario's candidate by `npm run regress` */
  runs: z.number().int().min(1).max(20).default(3),
  /** a scenario that regressed runs as many runs again, and regresses only if all of them together still do */
  confirm: z.boolean().default(true),
  scenarios: z.array(RegressEntrySchema).min(1),
})

export type RegressEntry = z.infer<typeof RegressEntrySchema>
export type RegressSettings = z.infer<typeof RegressSettingsSchema>
