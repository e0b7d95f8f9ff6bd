import { z } from 'zod'
import { isQuiet } from '../core/cluster.ts'
import type { StepKind } from './step-kind.ts'

/**
 * `- restart_nodes: <group>` (`registration_lock: keep | remove`): every node of the group is
 * stopped and started again with the same identity, as a compute node's process restarts.
 * With its registration lock kept (the default) a NATS node skips RegisterNode and goes
 * straight to its heartbeats, as Bacalhau's does (docs/design.md, "Compute node"); with it
 * removed (a wiped store) it registers again, and a registration that fails stops it for good.
 * Failed registrations are findings (events, errors.csv), not a failed step.
 */
export interface RestartNodesStep {
  kind: 'restart_nodes'
  group: string
  keepLock: boolean
}

const describe = (s: RestartNodesStep): string => `restart the nodes of ${s.group}${s.keepLock ? '' : ' without their registration lock'}`

export const restartNodes: StepKind<RestartNodesStep, RestartNodesStep & { text: string }> = {
  keyword: 'restart_nodes',
  summary: "restart a group's nodes with the same identity, keeping (or removing) their registration lock",
  schema: z
    .strictObject({
      restart_nodes: z.string().min(1, 'expected a group name'),
      /** keep: the node skips RegisterNode; remove: its store was wiped, it registers again */
      registration_lock: z.enum(['keep', 'remove']).default('keep'),
    })
    .transform((d): RestartNodesStep => ({ kind: 'restart_nodes', group: d.restart_nodes, keepLock: d.registration_lock === 'keep' })),
  describe,
  resolve: (s, ctx) => {
    if (!ctx.groups.has(s.group)) ctx.issue([...ctx.path, 'restart_nodes'], `no group named "${s.group}" (groups: ${[...ctx.groups].join(', ')})`)
    return { ...s, text: describe(s) }
  },
  run: async (ctx, p) => {
    // from here every heartbeat counts: the first one after the restart is the node back (rejoin_ms)
    if (isQuiet(ctx.cluster)) ctx.cluster.setVerbose(true)
    const from = ctx.recorder.events.length
    const started = Date.now()
    const r = await ctx.restartNodes(p.group, p.keepLock)
    const codes = new Map<string, number>()
    for (const e of ctx.recorder.events.slice(from))
      if (e.kind === 'node.register_failed' && ctx.recorder.state.nodes.get(e.node)?.group === p.group)
        codes.set(e.data.code, (codes.get(e.data.code) ?? 0) + 1)
    const failed = [...codes].map(([code, n]) => `${n} RegisterNode ${code}`).join(', ')
    ctx.out.line(
      `  restart_nodes ${p.group}: ${r.restarted} back${p.keepLock ? ' (registration lock kept: RegisterNode skipped)' : ' (registered again)'}, ${r.failed} failed${failed ? ` (${failed})` : ''}, in ${((Date.now() - started) / 1000).toFixed(2)} s`,
    )
    return true
  },
}
