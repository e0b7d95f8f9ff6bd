import type { TimerValues } from '../core/duration.ts'
import { parseDuration } from '../core/duration.ts'
import type { PlanAssertion, TransportName } from '../plan/run-plan.ts'
import type { Assertion } from './scenario-schema.ts'
import type { Issue } from './yaml-file.ts'

/** What decides whether an assertion applies to this run (`when_*`), and which metrics it lacks. */
export interface AssertionScope {
  fault: string
  transport: TransportName
  /** metrics the transport never has: assertions on them are skipped */
  absentMetrics: readonly string[]
  routeAuth: boolean
  profile: string
  /** the run has a job workload */
  jobs: boolean
  /** the membership bucket's replicas */
  membershipReplicas: number
  groups: ReadonlySet<string>
  timers: TimerValues
  /** every metric this run can record: the built-in ones and those its steps name */
  metrics: ReadonlySet<string>
}

/**
 * The scenario's assertions that apply to this run, bounds in ms. `when_fault`, `when_transport`,
 * `when_route_auth`, `when_profile`, `when_jobs` and `when_membership_replicas` limit one to some runs; an assertion on a
 * metric the transport never has is skipped (libp2p has no register_ms).
 */
export const resolveAssertions = (assertions: readonly Assertion[], scope: AssertionScope, issues: Issue[]): PlanAssertion[] =>
  assertions.flatMap((a, i): PlanAssertion[] => {
    // an assertion on a metric nothing records would fail (or pass, on `missing`) for a typo
    if (!scope.metrics.has(a.metric)) {
      issues.push({ path: ['assertions', i, 'metric'], message: `unknown metric "${a.metric}" (known: ${[...scope.metrics].join(', ')})` })
      return []
    }
    if (a.when_fault !== undefined && !a.when_fault.includes(scope.fault)) return []
    if (a.when_transport !== undefined && !a.when_transport.includes(scope.transport)) return []
    if (scope.absentMetrics.includes(a.metric)) return []
    if (a.when_route_auth !== undefined && a.when_route_auth !== scope.routeAuth) return []
    if (a.when_profile !== undefined && !a.when_profile.includes(scope.profile as never)) return []
    if (a.when_jobs !== undefined && a.when_jobs !== scope.jobs) return []
    if (a.when_membership_replicas !== undefined && !a.when_membership_replicas.includes(scope.membershipReplicas)) return []
    if (a.group !== 'all' && !scope.groups.has(a.group))
      issues.push({ path: ['assertions', i, 'group'], message: `no group named "${a.group}" (groups: ${[...scope.groups].join(', ')}, all)` })
    const bound = (k: 'max' | 'min'): { max?: number; min?: number } => {
      const v = a[k]
      if (v === undefined) return {}
      try {
        return { [k]: parseDuration(v, scope.timers) }
      } catch (e) {
        issues.push({ path: ['assertions', i, k], message: (e as Error).message })
        return {}
      }
    }
    const text = [
      `${a.group}.${a.metric}.${a.stat}`,
      a.max !== undefined ? `<= ${a.max}` : null,
      a.min !== undefined ? `>= ${a.min}` : null,
      a.equals !== undefined ? `== ${a.equals}` : null,
    ]
      .filter((x) => x !== null)
      .join(' ')
    return [
      {
        metric: a.metric,
        stat: a.stat,
        group: a.group,
        ...bound('max'),
        ...bound('min'),
        ...(a.equals === undefined ? {} : { equals: a.equals }),
        text,
      },
    ]
  })
