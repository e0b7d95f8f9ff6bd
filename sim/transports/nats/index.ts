import type { Cluster } from '../../core/cluster.ts'
import { ROGUE_HOST } from '../../core/hosts.ts'
import { goMaxProcsFor } from './server-process.ts'
import { runsHeartbeatServer, secondMs } from '../../model/liveness.ts'
import { findNatsServer } from '../../platform/nats-server-binary.ts'
import { OrchestratorCluster } from './orchestrator/cluster.ts'
import { buildNodeSpecs } from './node-specs.ts'
import type { NodeSpec } from './compute/node-spec.ts'
import type { TransportPlugin } from '../transport.ts'
import type { RunPlan } from '../../plan/run-plan.ts'
import type { ControlPlaneSettings } from './orchestrator/control-plane.ts'

/** What every control plane of a run decides by, from the run's plan. */
const controlPlaneSettings = (plan: RunPlan): ControlPlaneSettings => ({
  heartbeatSubjects: plan.heartbeatSubjects,
  checkPeriod: plan.timers.check_period,
  heartbeatInterval: plan.timers.heartbeat_interval,
  disconnectAfter: plan.timers.disconnect_after,
  manualApproval: plan.orchestrators.manualApproval,
  second: secondMs(plan.timeScale),
  membership: plan.membership,
})

/**
 * Bacalhau's NATS transport (v1.3+): orchestrators are real nats-servers with a control plane
 * each (orchestrator/), compute nodes nats.js clients taught nats.go's server order (compute/).
 */
export const nats: TransportPlugin<NodeSpec> = {
  name: 'nats',
  capabilities: [
    'lame-duck',
    'routes',
    'token-auth',
    'token-rotation',
    'orchestrator-templates',
    'link-proxy',
    'placement',
    'quiet-heartbeats',
    'membership-bucket',
  ],
  absentMetrics: [],
  startedAs: 'registered',
  describe: (plan) =>
    `  auth: ${plan.auth.mode === 'none' ? 'none (orchestrators accept anyone)' : `token from ${plan.auth.source}`}${plan.auth.routeAuth ? ', route authentication on' : ''}`,
  binary: (plan) => plan.natsServerBin ?? findNatsServer(),
  sendsHeartbeats: (g) => g.timers.heartbeat_interval !== null && g.heartbeatSubjects.length > 0,
  // A node that sends none, under orchestrators that read liveness from heartbeats alone (issue 4419).
  neverConnected: (plan, g) => !nats.sendsHeartbeats(g) && runsHeartbeatServer(controlPlaneSettings(plan)),
  start: (plan, env): Promise<Cluster> =>
    OrchestratorCluster.start(
      plan.orchestrators.count,
      (name, joined) => {
        const placement = env.placement(name)
        const links = env.links
        return {
          name,
          runId: env.runId,
          binary: env.binary as string,
          dir: env.runDir,
          ...(plan.auth.mode === 'token' ? { token: env.secrets.token } : {}),
          ...(env.secrets.routeAuth ? { routeAuth: env.secrets.routeAuth } : {}),
          ...(plan.orchestrators.clustered ? { cluster: `netsim-${env.runId}` } : {}),
          controlPlane: controlPlaneSettings(plan),
          lameDuck: plan.orchestrators.lameDuck,
          joined,
          // The Go runtime does not follow a container's CPU quota: a server held to a fraction of
          // a core runs Go code on one thread, not on every core of the machine.
          goMaxProcs: Math.min(goMaxProcsFor(plan.orchestrators.count), Math.ceil(plan.orchestrators.resources?.cpus ?? Infinity)),
          ...(placement ? { placement } : {}),
          // Links (proxies) to the server are made before the cluster gossips its address to nodes.
          ...(links ? { onServerReady: (orch: string, client: string) => links.attach(orch, client) } : {}),
        }
      },
      env.record,
      () => env.placement(ROGUE_HOST),
    ),
  nodeSpecs: (plan, orchestrators, env) => buildNodeSpecs(plan, orchestrators, env.secrets, env.rng, env.addressFor),
  createNode: async (spec, emit) => {
    const { ComputeNode } = await import('./compute/compute-node.ts')
    return new ComputeNode(spec, emit)
  },
  wipeNodeStore: async (spec) => {
    const { registrationLock } = await import('./compute/registration-lock.ts')
    registrationLock.remove(spec.id)
  },
}
