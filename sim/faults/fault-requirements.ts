import { linkNeeds, LINK_CAPABILITIES } from '../core/links.ts'
import type { PlanFault } from '../plan/run-plan.ts'
import type { Requirement } from './fault-type.ts'
import { faultType } from './index.ts'

/**
 * What a planned fault needs from the run: a process fault, its type's own requirements (lame
 * duck needs a NATS server); a link fault, the link abilities its effect, direction and
 * probability need from the backend (a delay needs proxies; netns cuts cannot delay). Which
 * link abilities a backend has can depend on the transport (the proxies speak NATS). Either
 * aimed at `membership_leader` needs a transport whose orchestrators hold membership in a bucket.
 */
export const faultRequirements = (f: PlanFault): Requirement[] => {
  const type = faultType(f.type)
  const orch = typeof f.target === 'string' ? f.target : f.target.orchestrator
  const leader: Requirement[] =
    orch === 'membership_leader'
      ? [{ of: 'transport', capability: 'membership-bucket', why: 'target membership_leader is the orchestrator holding the membership bucket' }]
      : []
  if (type.acts === 'process') return [...type.requires(), ...leader]
  const needs = linkNeeds(type.effect(f), f.direction, f.probability)
  const why = (c: keyof typeof LINK_CAPABILITIES): string =>
    c === 'link:one-way'
      ? `direction ${f.direction}`
      : c === 'link:partial'
        ? `probability ${f.probability}`
        : `a ${type.name} fault needs to ${LINK_CAPABILITIES[c]}`
  return [...needs.map((c): Requirement => ({ of: 'backend', capability: c, why: why(c) })), ...leader]
}
