import { PROFILES, resolveTimers } from '../../sim/model/profiles.ts'
import { secondMs } from '../../sim/model/liveness.ts'
import type { ControlPlaneSettings } from '../../sim/transports/nats/orchestrator/control-plane.ts'

/** Profile v1.5's control-plane settings at `timeScale`, for tests that start orchestrators themselves. */
export const v15ControlPlane = (timeScale: number, replicas = 1): ControlPlaneSettings => {
  const timers = resolveTimers('v1.5', timeScale)
  return {
    heartbeatSubjects: PROFILES['v1.5'].heartbeat_subjects,
    checkPeriod: timers.check_period,
    disconnectAfter: timers.disconnect_after,
    manualApproval: false,
    heartbeatInterval: timers.heartbeat_interval,
    second: secondMs(timeScale),
    membership: { bucket: 'node_v1', replicas },
  }
}
