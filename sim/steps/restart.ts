import { z } from 'zod'
import { isQuiet } from '../core/cluster.ts'
import { isNetsimError } from '../core/errors.ts'
import { resolveOrch } from '../faults/apply-fault.ts'
import { orchTargetSchema } from '../plan/duration-schema.ts'
import type { StepKind } from './step-kind.ts'

/**
 * `- restart: orch-0` (or `all`, optionally `rotate_token: true`): the orchestrator goes down and
 * comes back on its old address with fresh state. For its nodes that is a fault: failover
 * metrics count from it (a `fault.apply` of type `restart`, or `restart-new-token`).
 */
export interface RestartStep {
  kind: 'restart'
  target: string
  rotateToken: boolean
}

export const restart: StepKind<RestartStep, RestartStep & { text: string }> = {
  keyword: 'restart',
  summary: 'restart an orchestrator (or all, optionally with a new token) on its old address',
  schema: z
    .strictObject({ restart: z.union([z.literal('all'), orchTargetSchema]), rotate_token: z.boolean().default(false) })
    .transform((d): RestartStep => ({ kind: 'restart', target: d.restart, rotateToken: d.rotate_token })),
  describe: (s) => `restart ${s.target}${s.rotateToken ? ' with a new token' : ''}`,
  resolve: (s, ctx) => {
    ctx.orchestrator(ctx.path, s.target)
    return { ...s, text: `restart ${s.target}${s.rotateToken ? ' with a new token' : ''}` }
  },
  requires: (p) => [
    ...(p.rotateToken
      ? [{ of: 'transport' as const, capability: 'token-rotation' as const, why: 'rotate_token gives the orchestrators a new token' }]
      : []),
    ...(p.target === 'membership_leader'
      ? [
          {
            of: 'transport' as const,
            capability: 'membership-bucket' as const,
            why: 'membership_leader is the orchestrator holding the membership bucket',
          },
        ]
      : []),
  ],
  run: async (ctx, p, index) => {
    const { cluster, recorder } = ctx
    const token = p.rotateToken ? ctx.rotateToken() : undefined
    if (isQuiet(cluster)) cluster.setVerbose(true)
    let names: string[]
    try {
      names = p.target === 'all' ? cluster.members.map((o) => o.name) : [await resolveOrch(ctx, p.target)]
    } catch (err) {
      if (!isNetsimError(err, 'E_FAULT_TARGET')) throw err
      ctx.out.line(`  restart: no live orchestrator to restart (${p.target}): ${err.message}`)
      return false
    }
    // A restart is a fault for the nodes on it: failover metrics count from here.
    const type = p.rotateToken ? 'restart-new-token' : 'restart'
    for (const name of names) recorder.note('fault.apply', { orch: name }, { type, target_kind: 'orchestrator', id: `f${index}`, disruptive: true })
    ctx.out.line(`  restart ${names.join(', ')}${token === undefined ? '' : ' with a new token'}`)
    const opts = token === undefined ? {} : { token }
    if (p.target === 'all') await cluster.restartAll(opts)
    else await cluster.restart(names[0] as string, opts)
    return true
  },
}
