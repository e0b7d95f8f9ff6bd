import { z } from 'zod'
import type { Member } from '../core/cluster.ts'
import type { DurationSpec } from '../core/duration.ts'
import { isNetsimError } from '../core/errors.ts'
import { resolveOrch } from '../faults/apply-fault.ts'
import { bidFailures } from '../metrics/bids.ts'
import { durationSchema, orchTargetSchema } from '../plan/duration-schema.ts'
import type { StepKind } from './step-kind.ts'

/**
 * `- ask_for_bid: { timeout, from, metric }`: a job-style call, the dispatcher's AskForBid. Each
 * asking orchestrator calls every node that started, at once; every call is an `orch.bid` event
 * and a value (or a missing one) of the step's metric. Failing calls are findings, not a failed
 * step: the assertions judge them.
 */
export interface AskForBidStep {
  kind: 'ask_for_bid'
  timeout: DurationSpec
  /** all | orch-N | busiest | random */
  from: string
  /** where the timings go (default bid_ms) */
  metric: string
}

export interface AskForBidPlan {
  kind: 'ask_for_bid'
  timeoutMs: number
  from: string
  metric: string
  text: string
}

const describe = (s: AskForBidStep): string =>
  `ask_for_bid from ${s.from === 'all' ? 'every live orchestrator' : s.from} (timeout ${s.timeout}) as ${s.metric}`

export const askForBid: StepKind<AskForBidStep, AskForBidPlan> = {
  keyword: 'ask_for_bid',
  summary: 'orchestrators ask every started node for a bid (the dispatcher call)',
  schema: z
    .strictObject({
      ask_for_bid: z.strictObject({
        /** bound on each call (dial included in libp2p mode) */
        timeout: durationSchema,
        /** who asks: every live orchestrator (all), or one */
        from: z.union([z.literal('all'), orchTargetSchema]).default('all'),
        /** the metric its timings go to: name steps apart, e.g. bid_after_loss_ms */
        metric: z
          .string()
          .regex(/^[a-z][a-z0-9_]*_ms$/, 'expected a metric name ending in _ms, such as bid_after_loss_ms')
          .default('bid_ms'),
      }),
    })
    .transform((d): AskForBidStep => ({ kind: 'ask_for_bid', ...d.ask_for_bid })),
  describe,
  resolve: (s, ctx) => {
    ctx.orchestrator(ctx.path, s.from)
    return {
      kind: 'ask_for_bid',
      timeoutMs: ctx.ms([...ctx.path, 'ask_for_bid', 'timeout'], s.timeout),
      from: s.from,
      metric: s.metric,
      text: describe(s),
    }
  },
  metrics: (p) => [p.metric],
  run: async (ctx, p) => {
    const { cluster, recorder } = ctx
    const live = cluster.live()
    let askers: Member[]
    if (p.from === 'all') askers = live
    else {
      const name = await resolveOrch(ctx, p.from).catch((err: unknown) => {
        if (isNetsimError(err, 'E_FAULT_TARGET')) return null
        throw err
      })
      askers = live.filter((o) => o.name === name)
    }
    if (askers.length === 0) {
      ctx.out.line(`  ask_for_bid: no live orchestrator to ask (${p.from})`)
      return false
    }
    const nodes = [...recorder.state.nodes].filter(([, n]) => n.registered).map(([id]) => id)
    const from = recorder.events.length
    const started = Date.now()
    ctx.lag.begin(`ask_for_bid ${p.metric}`)
    const tallies = await Promise.all(askers.map((o) => o.askForBid(nodes, p.timeoutMs, p.metric)))
    ctx.lag.end()
    const asked = tallies.reduce((a, t) => a + t.asked, 0)
    const answered = tallies.reduce((a, t) => a + t.ok, 0)
    const failed = bidFailures(recorder.events, from)
      .map((f) => `${f.group} ${f.count} ${f.code}`)
      .join(', ')
    const took = ((Date.now() - started) / 1000).toFixed(2)
    ctx.out.line(
      `  ask_for_bid (${p.metric}) from ${askers.map((o) => o.name).join(', ')} to ${nodes.length} nodes: ${answered}/${asked} answered in ${took} s${failed ? `; failed: ${failed}` : ''}`,
    )
    return true
  },
}
