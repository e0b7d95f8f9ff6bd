import { z } from 'zod'
import { hasRoutes } from '../core/cluster.ts'
import type { DurationSpec } from '../core/duration.ts'
import { NetsimError } from '../core/errors.ts'
import { durationSchema } from '../plan/duration-schema.ts'
import type { StepKind } from './step-kind.ts'

/**
 * `- rogue_orchestrator: { window: 3s }`: an unauthenticated server joins the cluster's routes
 * and listens (Bacalhau sets no route auth, so it succeeds; `--route-auth` shows it refused).
 * What it saw is a `rogue.result` event and the `rogue_seen_ms` metric.
 */
export interface RogueStep {
  kind: 'rogue_orchestrator'
  window: DurationSpec
}

export const rogueOrchestrator: StepKind<RogueStep, { kind: 'rogue_orchestrator'; windowMs: number; text: string }> = {
  keyword: 'rogue_orchestrator',
  summary: "an unauthenticated server joins the cluster's routes and listens",
  schema: z
    .strictObject({ rogue_orchestrator: z.strictObject({ window: durationSchema }) })
    .transform((d): RogueStep => ({ kind: 'rogue_orchestrator', window: d.rogue_orchestrator.window })),
  describe: (s) => `rogue orchestrator joins for ${s.window}`,
  resolve: (s, ctx) => ({
    kind: 'rogue_orchestrator',
    windowMs: ctx.ms([...ctx.path, 'rogue_orchestrator', 'window'], s.window),
    text: `rogue orchestrator joins for ${s.window}`,
  }),
  requires: () => [
    { of: 'transport', capability: 'routes', why: "a rogue orchestrator joins a NATS cluster's routes" },
    { of: 'backend', capability: 'extra-server', why: "a rogue orchestrator is a server of its own beside the run's hosts" },
  ],
  run: async (ctx, p, index) => {
    const { cluster } = ctx
    if (!hasRoutes(cluster)) throw new NetsimError('E_UNSUPPORTED', `step ${index} (${p.text}): the cluster has no routes to join`)
    const r = await cluster.probeRogue(p.windowMs)
    if (r === null) {
      ctx.out.line(`  rogue orchestrator: no clustered orchestrator is up to route to`)
      return false
    }
    ctx.recorder.note(
      'rogue.result',
      {},
      { joined: r.joined, messages: r.messages, first_ms: r.firstMs, route_auth: ctx.routeAuth, subjects: r.subjects },
    )
    const seen = r.subjects.length ? ` (${r.subjects.slice(0, 4).join(', ')})` : ''
    ctx.out.line(`  rogue orchestrator: ${r.joined ? 'JOINED the cluster' : 'could not join the cluster'}, saw ${r.messages} messages${seen}`)
    return true
  },
}
