import type { FaultType } from './settings-schema.ts'
import type { PlanFault } from './run-plan.ts'
import type { FaultOptions } from '../steps/steps.ts'
import type { Issue, Path } from './yaml-file.ts'

const RATE_UNIT: Record<string, number> = { B: 1, kB: 1000, KB: 1024, MB: 1_000_000 }

export const parseRate = (rate: number | string): number => {
  if (typeof rate === 'number') return rate
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB)\/s$/.exec(rate) as RegExpExecArray
  return Number(m[1]) * (RATE_UNIT[m[2] as string] as number)
}

/**
 * A fault's options with every choice the file can make resolved: `default` becomes the run's
 * fault type, durations become ms (timer expressions allowed), the rate bytes per second.
 * Problems (an unknown group, an orchestrator that will not exist) are pushed to `issues`
 * with their path, so they are reported with the file's line.
 */
export const resolveFault = (
  o: FaultOptions,
  ctx: {
    defaultType: FaultType
    ms: (path: Path, spec: number | string) => number
    groups: Set<string>
    maxOrch: number
    path: Path
    issues: Issue[]
    allowRandomGroup?: boolean
  },
): PlanFault => {
  const f: PlanFault = { type: o.type === 'default' ? ctx.defaultType : o.type, target: o.target, direction: o.direction, probability: o.probability }
  const orchOk = (name: string, path: Path) => {
    const m = /^orch-(\d+)$/.exec(name)
    if (m && Number(m[1]) >= ctx.maxOrch)
      ctx.issues.push({ path, message: `${name} does not exist: the run has ${ctx.maxOrch} orchestrator(s), orch-0..orch-${ctx.maxOrch - 1}` })
  }
  if (typeof o.target === 'string') orchOk(o.target, [...ctx.path, 'target'])
  else {
    if (!ctx.groups.has(o.target.group) && !(ctx.allowRandomGroup && o.target.group === 'random')) {
      ctx.issues.push({
        path: [...ctx.path, 'target', 'group'],
        message: `no group named "${o.target.group}" (groups: ${[...ctx.groups].join(', ')})`,
      })
    }
    orchOk(o.target.orchestrator, [...ctx.path, 'target', 'orchestrator'])
  }
  if (o.duration !== undefined) f.durationMs = ctx.ms([...ctx.path, 'duration'], o.duration)
  if (o.latency !== undefined) f.latencyMs = ctx.ms([...ctx.path, 'latency'], o.latency)
  if (o.jitter !== undefined) f.jitterMs = ctx.ms([...ctx.path, 'jitter'], o.jitter)
  if (o.rate !== undefined) f.bytesPerSec = parseRate(o.rate)
  if (f.type === 'latency' && f.latencyMs === undefined)
    ctx.issues.push({ path: ctx.path, message: 'a latency fault needs latency (and optionally jitter)' })
  if (f.type === 'bandwidth' && f.bytesPerSec === undefined)
    ctx.issues.push({ path: ctx.path, message: 'a bandwidth fault needs rate (e.g. 64kB/s)' })
  return f
}
