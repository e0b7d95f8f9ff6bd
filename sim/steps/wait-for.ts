import { z } from 'zod'
import type { DurationSpec } from '../core/duration.ts'
import { durationSchema } from '../plan/duration-schema.ts'
import { CONDITIONS, evaluate, type Condition } from './conditions.ts'
import type { StepContext, StepKind } from './step-kind.ts'

/**
 * `- wait_for: discovered` with a `timeout`: until a condition over the live state holds. A
 * timeout is a failed check, not an error: the run goes on, its metrics show what is missing,
 * and it exits 1. `on_timeout: note` reports it without failing (a condition a transport is
 * expected never to reach).
 */
export interface WaitForStep {
  kind: 'wait_for'
  condition: Condition
  timeout: DurationSpec
  onTimeout?: 'note'
}

export interface WaitForPlan {
  kind: 'wait_for'
  condition: Condition
  timeoutMs: number
  onTimeout?: 'note'
  text: string
}

const describe = (s: WaitForStep): string => `wait_for ${s.condition} (timeout ${s.timeout}${s.onTimeout === 'note' ? ', a timeout is noted' : ''})`

/** Waits for a condition; false (and a recorded failure, or a note) when time runs out. */
export const waitForCondition = async (
  ctx: StepContext,
  condition: Condition,
  timeoutMs: number,
  label: string,
  onTimeout: 'fail' | 'note' = 'fail',
): Promise<boolean> => {
  const status = () =>
    evaluate(condition, ctx.recorder.state, {
      heartbeats: (group) => ctx.sendsHeartbeats(group),
      neverConnected: (group) => ctx.neverConnected(group),
    })
  const started = Date.now()
  const seconds = () => ((Date.now() - started) / 1000).toFixed(1)
  ctx.lag.begin(label)
  const ok = await ctx.recorder.waitUntil(() => status().pending === 0, {
    timeoutMs,
    signal: ctx.signal,
    onTick: () => {
      const s = status()
      ctx.out.progress(`  ${condition}: ${s.total - s.pending}/${s.total} nodes (${seconds()} s)`, {
        label: condition,
        done: s.total - s.pending,
        total: s.total,
      })
    },
  })
  ctx.lag.end()
  const s = status()
  // Say what was waited for where it is not what the condition's name promises.
  if (s.neverConnected !== undefined) {
    const groups = [...s.neverConnected].map(([g, count]) => `${count} of ${g}`).join(', ')
    ctx.out.line(
      `  ${condition}: ${groups} send no heartbeats: the orchestrators read a node they never heard from as DISCONNECTED, so these are waited for registered with a full pool, never CONNECTED (and never asked for bids)`,
    )
  }
  if (ok) {
    const took = `${((Date.now() - started) / 1000).toFixed(2)} s`
    ctx.out.line(
      s.gaveUp === 0
        ? `  ${condition}: ${s.total}/${s.total} nodes in ${took}`
        : `  ${condition}: ${s.total - s.gaveUp} of ${s.total} nodes, ${s.gaveUp} gave up for good, in ${took}`,
    )
    return true
  }
  const pending = `${label}: ${s.pending} of ${s.total} nodes still pending after ${(timeoutMs / 1000).toFixed(1)} s${s.examples?.length ? ` (${s.examples.join('; ')})` : ''}`
  if (onTimeout === 'note') {
    ctx.notes.push(pending)
    ctx.out.line(
      `  ${condition}: not reached in ${(timeoutMs / 1000).toFixed(1)} s, ${s.pending} of ${s.total} nodes pending (noted, not a failure: on_timeout: note)`,
    )
  } else {
    ctx.timeouts.push(pending)
    ctx.out.line(`  ${condition}: TIMEOUT after ${(timeoutMs / 1000).toFixed(1)} s, ${s.pending} of ${s.total} nodes pending`)
  }
  return false
}

export const waitFor: StepKind<WaitForStep, WaitForPlan> = {
  keyword: 'wait_for',
  summary: 'wait until a condition holds (registered, discovered, pool_complete, recovered), with a timeout',
  schema: z
    .strictObject({ wait_for: z.enum(CONDITIONS), timeout: durationSchema, on_timeout: z.enum(['fail', 'note']).default('fail') })
    .transform((d): WaitForStep => ({
      kind: 'wait_for',
      condition: d.wait_for,
      timeout: d.timeout,
      ...(d.on_timeout === 'note' ? { onTimeout: 'note' as const } : {}),
    })),
  describe,
  resolve: (s, ctx) => ({
    kind: 'wait_for',
    condition: s.condition,
    timeoutMs: ctx.ms([...ctx.path, 'timeout'], s.timeout),
    ...(s.onTimeout === undefined ? {} : { onTimeout: s.onTimeout }),
    text: describe(s),
  }),
  run: (ctx, p) => waitForCondition(ctx, p.condition, p.timeoutMs, p.condition, p.onTimeout ?? 'fail'),
}
