import type { CalibratedFaultName } from '../config/calibrate-settings.ts'

/**
 * The faults a calibration compares the simulated node and nats.go under, each as a scenario
 * run (scenarios/calibrate*.yaml) and the metric that says when a hit node was back:
 *
 * - kill, stop, freeze, restart: the busiest orchestrator is hit (`--fault`); back = its nodes'
 *   reconnect_ms (fault -> reconnected to a server);
 * - blackhole: every node's links to every orchestrator swallow traffic (the process backend's
 *   proxies), then heal; the nodes cannot come back before the heal, so back = heal_reconnect_ms
 *   (heal -> reconnected), which is where the heal catches each client's reconnect loop.
 */
export interface CalibratedFault {
  name: CalibratedFaultName
  scenario: string
  /** the `fault` setting for the scenario's `fault: default` step (process faults) */
  fault?: string
  reconnectMetric: 'reconnect_ms' | 'heal_reconnect_ms'
}

export const calibratedFault = (name: CalibratedFaultName): CalibratedFault =>
  name === 'blackhole'
    ? { name, scenario: 'calibrate-partition', reconnectMetric: 'heal_reconnect_ms' }
    : { name, scenario: 'calibrate', fault: name, reconnectMetric: 'reconnect_ms' }
