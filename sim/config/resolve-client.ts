import { NetsimError } from '../core/errors.ts'
import type { BackendName, FleetClient, PlanStep, TransportName } from '../plan/run-plan.ts'

/**
 * What the nats.go reference client (sim/fleet/goref/) cannot run, refused before anything
 * starts. It is a NATS client, and it holds a node's connection, registration, dispatcher
 * subscription (answering ask_for_bid) and heartbeats, but no job executor and no registration
 * lock: a job workload and restart_nodes need the simulated nodes.
 */
export const checkClient = (
  client: FleetClient,
  plan: { transport: TransportName; timeline: readonly PlanStep[]; backend?: BackendName },
  origin: string,
): void => {
  if (client !== 'nats.go') return
  const problem =
    plan.transport !== 'nats'
      ? `it runs NATS clients, and this run's transport is ${plan.transport}`
      : plan.backend === 'docker'
        ? 'it is a child process of the harness fed over its stdin, and the docker backend runs hosts in containers; use --backend netns or process'
        : plan.timeline.some((s) => s.kind === 'jobs')
          ? 'its nodes run no jobs (they answer ask_for_bid, nothing more); run the jobs step with client sim'
          : plan.timeline.some((s) => s.kind === 'restart_nodes')
            ? 'it cannot restart its nodes with their registration lock; run the restart_nodes step with client sim'
            : null
  if (problem !== null) throw new NetsimError('E_UNSUPPORTED', `${origin}: the nats.go reference client cannot run this plan: ${problem}`)
}
