/**
 * netsim's public API: what the CLI calls, and what tests and other tools may use. Everything
 * here is stable; modules not exported here are internal (docs/development.md, "Layout").
 */
// Running: plans, runs, repeats, transports side by side
export { resolvePlan, resolvePlans, scaleGroups, type RunOptions } from './config/resolve.ts'
export { loadHarnessConfig, type HarnessConfig } from './config/load.ts'
export { runScenario, type RunResult, type RunScenarioOptions } from './run/run-scenario.ts'
export { runRepeated, type RepeatResult } from './run/run-repeat.ts'
export { runTransports, compareTransports, type TransportsResult, type TransportCompareRow } from './run/run-transports.ts'
export { listScenarios, findScenario, describeScenarios, defaultScenariosDir, BUILT_IN_SCENARIOS } from './config/catalog.ts'
export type { RunPlan, PlanStep, PlanAssertion, PlanGroup, PlanFault, TransportName, BackendName } from './plan/run-plan.ts'
export { TRANSPORT_NAMES, BACKEND_NAMES, FLEET_CLIENTS } from './plan/run-plan.ts'

// Comparing and gating
export { compareReports, compareToBaseline, compareSides, loadSide, rankSumTest } from './compare/index.ts'
export { runRegress, updateBaseline } from './regress/run-regress.ts'

// Reporting
export { ConsoleReporter } from './report/console.ts'
export { ReporterBus, type Reporter, type RunReport, type RunStart } from './report/reporter.ts'

// The model: events, metrics, profiles
export type { SimEvent, RawEvent, EventKind, EventShapes } from './core/events.ts'
export { deriveMetrics, summarize, checkAssertions, type MetricValue, type SummaryRow, type AssertionResult } from './metrics/index.ts'
export { PROFILES, PROFILE_NAMES, resolveTimers, type ProfileName, type Timers } from './model/profiles.ts'
export { parseDuration } from './core/duration.ts'
export { parseOrchestrator, parseOrchestratorList, redactUrl, type OrchestratorAddress } from './model/orchestrator-list.ts'

// Registries: faults, steps, transports, backends
export { FAULTS, FAULT_NAMES, PROCESS_FAULT_NAMES, faultType, type FaultType } from './faults/index.ts'
export { STEPS, STEP_KEYWORDS, stepKind, parseStep, type StepKind } from './steps/index.ts'
export { TRANSPORTS, transportPlugin, type TransportPlugin } from './transports/index.ts'
export { createBackend, detectBackend, requireBackend } from './backends/index.ts'
export type { Cluster, Member } from './core/cluster.ts'

// Errors and housekeeping
export { NetsimError, isNetsimError, exitCodeFor, ERROR_CODES, EXIT_CODES, type ErrorCode } from './core/errors.ts'
export { newRunId } from './platform/run-dir.ts'
export { ensureWritableDir } from './platform/make-dirs.ts'
export { nodeLimit, nodeLimits, type NodeLimit } from './platform/capacity.ts'
export { runLocked, lockedRunIds } from './platform/run-lock.ts'
export { reapPartials } from './platform/atomic-dir.ts'
export { reapRuns, type RunReapResult } from './run/reap-runs.ts'
export { findNatsServer } from './platform/nats-server-binary.ts'
