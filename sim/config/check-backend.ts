import type { BackendName } from '../core/hosts.ts'
import type { PlanFault, PlanStep } from './run-plan.ts'
import type { Transport } from './settings-schema.ts'
import type { Issue } from './yaml-file.ts'
import { isLinkFault } from '../steps/steps.ts'

/**
 * What a scenario asks for that its backend cannot do, found at plan time (like
 * check-transport.ts) so a run never starts only to fail halfway.
 *
 * netns turns a link fault into a kernel cut between the group's namespace and the
 * orchestrator's (nftables, sim/backends/netns/nft-rules.ts). A cut is all or nothing, both
 * ways: blackhole, reset and down exist; latency and bandwidth would need netem, which this
 * kernel does not have, and a per-connection `probability` or a one-way `direction` have no
 * kernel equivalent here. Those stay on the process backend, whose link proxies do them. The
 * rogue-orchestrator probe starts an extra nats-server that has no host of its own in the
 * run's namespaces, and libp2p hosts are not placed in namespaces.
 *
 * docker full runs are refused at run time (sim/run/run-hosts.ts), after the engine check, so
 * "no engine" and "not wired yet" stay distinct answers.
 */
export interface BackendCheckInput {
  timeline: PlanStep[]
  transport: Transport
  /** how the backend was chosen, for the message: `--backend netns` or `backend netns` */
  via: string
}

/** Why the netns backend cannot apply this fault, or null when it can. */
export const netnsFaultProblem = (f: PlanFault): string | null => {
  if (!isLinkFault(f.type)) return null
  if (f.type === 'latency' || f.type === 'bandwidth')
    return `a ${f.type} fault needs netem or the link proxies; the netns backend cuts links in the kernel (blackhole, reset, down) only`
  if (f.direction !== 'both') return `direction ${f.direction}: a kernel cut on the netns backend acts both ways`
  if (f.probability !== 1) return `probability ${f.probability}: a kernel cut on the netns backend hits every connection of the link`
  return null
}

export const backendProblems = (backend: BackendName, input: BackendCheckInput): Issue[] => {
  if (backend !== 'netns') return []
  const issues: Issue[] = []
  const use = `(${input.via}; use --backend process for it)`
  if (input.transport === 'libp2p')
    issues.push({ path: ['transport'], message: `the netns backend runs NATS orchestrators only; libp2p hosts are not placed in namespaces ${use}` })
  input.timeline.forEach((s, i) => {
    const at = ['timeline', i]
    if (s.kind === 'fault') {
      const p = netnsFaultProblem(s.fault)
      if (p) issues.push({ path: at, message: `${p} ${use}` })
    } else if (s.kind === 'chaos') {
      const bad = [...new Set(s.schedule.map((e) => netnsFaultProblem(e.fault)).filter((p): p is string => p !== null))]
      if (bad.length > 0) issues.push({ path: at, message: `chaos draws faults the netns backend cannot apply: ${bad.join('; ')} ${use}` })
    } else if (s.kind === 'rogue_orchestrator') {
      issues.push({ path: at, message: `the rogue orchestrator has no host in the netns backend's namespaces ${use}` })
    }
  })
  return issues
}
