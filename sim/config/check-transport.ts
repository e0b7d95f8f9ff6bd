import type { PlanStep } from './run-plan.ts'
import type { Transport } from './settings-schema.ts'
import type { Issue } from './yaml-file.ts'
import { isLinkFault } from '../steps/steps.ts'

/**
 * What a scenario asks for that its transport cannot do, found at plan time so a run never
 * starts only to fail halfway. NATS can do everything netsim simulates. libp2p mode (DESIGN.md
 * §1) has no link layer yet (link faults need the per-group proxies, which speak NATS), no
 * nats-server (lame duck, cluster routes, a rogue server joining them) and no token auth.
 */
export interface TransportCheckInput {
  timeline: PlanStep[]
  groups: { token: string; expect: string; orchestrators?: string | undefined }[]
  routeAuth: boolean
  /** how the transport was chosen, for the message: `--network libp2p` or `transport libp2p` */
  via: string
}

const LIBP2P_FAULTS = 'kill, stop or freeze'

export const transportProblems = (transport: Transport, input: TransportCheckInput): Issue[] => {
  if (transport === 'nats') return []
  const issues: Issue[] = []
  const mode = `libp2p mode (${input.via})`
  const faultProblem = (type: string): string | null => {
    if (isLinkFault(type)) return `a ${type} fault acts on links, and ${mode} has no link layer: use a process fault (${LIBP2P_FAULTS})`
    if (type === 'lame-duck') return `lame duck is a nats-server feature; ${mode} has ${LIBP2P_FAULTS} (set --fault)`
    return null
  }
  input.timeline.forEach((s, i) => {
    const at = ['timeline', i]
    if (s.kind === 'fault') {
      const p = faultProblem(s.fault.type)
      if (p) issues.push({ path: at, message: p })
    } else if (s.kind === 'chaos') {
      const bad = [...new Set(s.schedule.map((e) => e.fault.type).filter((t) => faultProblem(t) !== null))]
      if (bad.length > 0)
        issues.push({ path: at, message: `chaos draws ${bad.join(', ')} faults, which ${mode} cannot apply: keep to ${LIBP2P_FAULTS}` })
    } else if (s.kind === 'rogue_orchestrator') {
      issues.push({ path: at, message: `a rogue orchestrator joins a NATS cluster's routes; ${mode} has none` })
    } else if (s.kind === 'restart' && s.rotateToken) {
      issues.push({ path: at, message: `rotate_token: ${mode} has no token to rotate` })
    }
  })
  input.groups.forEach((g, i) => {
    if (g.orchestrators !== undefined)
      issues.push({
        path: ['groups', i, 'orchestrators'],
        message: `a NATS --orchestrators template; in ${mode} nodes are given orchestrators' multiaddrs by seeds`,
      })
    if (g.token === 'wrong') issues.push({ path: ['groups', i, 'token'], message: `${mode} has no token auth: a wrong token means nothing there` })
    if (g.expect === 'rejected')
      issues.push({ path: ['groups', i, 'expect'], message: `${mode} has no token auth: nothing would reject these nodes` })
  })
  if (input.routeAuth)
    issues.push({
      path: ['orchestrators', 'route_auth'],
      message: `route authentication is NATS cluster routes' user/password; ${mode} has no routes`,
    })
  return issues
}
