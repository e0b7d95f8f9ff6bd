import { z } from 'zod'
import type { HostResources } from '../core/hosts.ts'

/**
 * `resources: { cpus: 0.25, memory: 256m }` on the orchestrators (each) or a group: what one host
 * may use, as Docker's `--cpus` and `--memory` (only containers give it: the plan check refuses
 * it elsewhere). Memory in Docker's units, powers of 1024: b, k, m, g (256m, 1g, 512MiB).
 */
const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }
const MEMORY = /^(\d+(?:\.\d+)?)\s*([bkmg])?(?:i?b)?$/i
/** Docker refuses less. */
const MIN_MEMORY = 6 * 1024 ** 2

export const parseMemory = (text: string): number | null => {
  const m = MEMORY.exec(text.trim())
  if (m === null) return null
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? 'b').toLowerCase()] as number))
}

export const resourcesSchema = z
  .strictObject({
    /** cores, e.g. 0.25: a quarter of one core's time */
    cpus: z.number().positive().max(1024).optional(),
    memory: z
      .string()
      .superRefine((v, ctx) => {
        const bytes = parseMemory(v)
        if (bytes === null) ctx.addIssue({ code: 'custom', message: `expected a size such as 256m or 1g, got "${v}"` })
        else if (bytes < MIN_MEMORY) ctx.addIssue({ code: 'custom', message: `${v} is below Docker's minimum of 6m` })
      })
      .optional(),
  })
  .refine((r) => r.cpus !== undefined || r.memory !== undefined, { message: 'give cpus, memory or both' })

export type ResourcesSpec = z.infer<typeof resourcesSchema>

export const toHostResources = (r: ResourcesSpec | undefined): HostResources | undefined =>
  r === undefined
    ? undefined
    : { ...(r.cpus === undefined ? {} : { cpus: r.cpus }), ...(r.memory === undefined ? {} : { memoryBytes: parseMemory(r.memory) as number }) }
