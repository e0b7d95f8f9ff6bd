import { TRANSPORT_CAPABILITIES, type TransportCapability } from '../core/cluster.ts'
import type { Backend, BackendCapability } from '../core/hosts.ts'
import type { Requirement } from '../faults/index.ts'
import type { PlanStep } from '../plan/run-plan.ts'
import { stepKind } from '../steps/index.ts'
import type { TransportPlugin } from '../transports/index.ts'
import type { Issue, Path } from './yaml-file.ts'

/**
 * The plan check: what the plan needs must be a subset of what its transport and its backend
 * offer. Needs come from the steps (each kind of the registry says what it requires, a fault
 * step what its fault type does), the groups (a wrong token needs token auth) and the settings
 * (route authentication needs routes). Problems are found before anything starts, each at its
 * place in the file, with the way out.
 */
const LACKS: Record<TransportCapability, string> = {
  'lame-duck': 'no lame-duck mode',
  routes: 'no cluster routes',
  'token-auth': 'no token auth',
  'token-rotation': 'no token to rotate',
  'orchestrator-templates': 'no --orchestrators templates (its nodes are given orchestrators by seeds)',
  'link-proxy': 'no link layer',
  placement: 'no placement on other hosts',
  'quiet-heartbeats': 'no quiet heartbeat mode',
  'membership-bucket': 'no membership bucket (its orchestrators learn nodes from gossip)',
}

export interface PlanNeeds {
  timeline: readonly PlanStep[]
  groups: readonly { token: string; expect: string; orchestrators?: string | undefined }[]
  routeAuth: boolean
  /** where the plan sets `resources:` (the orchestrators', a group's) */
  resources?: readonly Path[]
}

/** What the plan needs, each with where in the file it comes from. */
export const planRequirements = (plan: PlanNeeds): { path: Path; need: Requirement }[] => {
  const out: { path: Path; need: Requirement }[] = []
  plan.timeline.forEach((s, i) => {
    const seen = new Set<string>()
    for (const need of stepKind(s.kind).requires?.(s) ?? []) {
      // a chaos step draws many faults: one problem per capability is enough
      if (seen.has(need.capability)) continue
      seen.add(need.capability)
      out.push({ path: ['timeline', i], need })
    }
  })
  plan.groups.forEach((g, i) => {
    if (g.token === 'wrong')
      out.push({
        path: ['groups', i, 'token'],
        need: { of: 'transport', capability: 'token-auth', why: 'a wrong token means something only where orchestrators check tokens' },
      })
    if (g.expect === 'rejected')
      out.push({
        path: ['groups', i, 'expect'],
        need: { of: 'transport', capability: 'token-auth', why: 'nothing but token auth would reject these nodes' },
      })
    if (g.orchestrators !== undefined)
      out.push({
        path: ['groups', i, 'orchestrators'],
        need: { of: 'transport', capability: 'orchestrator-templates', why: 'a NATS --orchestrators template' },
      })
  })
  for (const path of plan.resources ?? [])
    out.push({ path, need: { of: 'backend', capability: 'resources', why: 'per-host CPU and memory limits are cgroup limits of containers' } })
  if (plan.routeAuth)
    out.push({
      path: ['orchestrators', 'route_auth'],
      need: { of: 'transport', capability: 'routes', why: 'route authentication is user/password on NATS cluster routes' },
    })
  return out
}

/**
 * Problems of the plan on this transport and backend. `via` says how each was chosen, for the
 * message: `--network libp2p` or `transport libp2p`, `--backend netns` or `backend netns`.
 */
export const capabilityProblems = (
  plan: PlanNeeds,
  transport: TransportPlugin,
  backend: Pick<Backend, 'name' | 'offers' | 'refuses' | 'lacks'>,
  via: { transport: string; backend: string },
  others: { transports: readonly TransportPlugin[]; backends: readonly Pick<Backend, 'name' | 'offers' | 'refuses'>[] },
): Issue[] => {
  const issues: Issue[] = []
  const refused = backend.refuses(transport)
  if (refused !== null) return [{ path: ['transport'], message: `${refused} (${via.backend}; use --backend process for it)` }]
  const offered = new Set<BackendCapability>(backend.offers(transport))
  for (const { path, need } of planRequirements(plan)) {
    if (need.of === 'transport') {
      if (transport.capabilities.includes(need.capability)) continue
      const can = others.transports.filter((t) => t.capabilities.includes(need.capability)).map((t) => t.name)
      issues.push({
        path,
        message: `${need.why}, and ${transport.name} mode (${via.transport}) has ${LACKS[need.capability]}${can.length ? `: use --network ${can.join(' or ')}` : ''}`,
      })
    } else if (!offered.has(need.capability)) {
      const can = others.backends.filter((b) => b.refuses(transport) === null && b.offers(transport).includes(need.capability)).map((b) => b.name)
      const way = can.length ? `; use --backend ${can.join(' or ')} for it` : ''
      const who = `the ${backend.name} backend (${via.backend}) over ${transport.name} (${via.transport})`
      issues.push({ path, message: `${need.why}: ${who} cannot: ${backend.lacks(need.capability, transport)}${way}` })
    }
  }
  return issues
}

export const describeCapability = (c: TransportCapability): string => TRANSPORT_CAPABILITIES[c]
