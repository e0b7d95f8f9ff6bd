import type { z } from 'zod'
import type { Cluster } from '../core/cluster.ts'
import type { DurationSpec } from '../core/duration.ts'
import type { Links } from '../core/links.ts'
import type { RunOutput } from '../core/output.ts'
import type { Recorder } from '../core/recorder.ts'
import type { Rng } from '../core/rng.ts'
import type { Requirement } from '../faults/index.ts'
import type { ActiveFault } from '../faults/apply-fault.ts'
import type { JobWorkload } from '../jobs/workload.ts'
import type { LagMonitor } from '../platform/lag-monitor.ts'
import type { PlanFault, PlanStep } from '../plan/run-plan.ts'

/**
 * One kind of timeline step (docs/scenarios.md, "Steps"). Each kind is one module of this
 * folder exporting one of these; index.ts registers it by keyword. Parsing, describing,
 * resolving, replay, capability checks and running are loops over the registry, so a new step
 * kind is a new file.
 *
 * In YAML a step is a map whose one keyword names it, with options beside it or under it:
 *
 *   - wait_for: discovered
 *     timeout: 30s
 */
export type Path = (string | number)[]

/** What resolving a step may use: the plan around it, and where to report a problem. */
export interface ResolveContext {
  /** the step's position in the file: ['timeline', i] */
  path: Path
  /** a duration (500ms, 2s, "3 * ping_interval") in ms, with the problem reported at `path` */
  ms(path: Path, spec: DurationSpec): number
  /** reports a problem at `path` (the run is refused with every problem and its line) */
  issue(path: Path, message: string): void
  /** reports `name` (orch-N) at `path` when the run will never have it; other names pass */
  orchestrator(path: Path, name: string): void
  groups: ReadonlySet<string>
  /** orchestrators at start, and the most the run will ever have (scale steps included) */
  orchestrators: number
  maxOrchestrators: number
  /** the fault type of `fault: default` (--fault) */
  defaultFault: string
  /** this step's own seeded stream (a chaos schedule is drawn from it) */
  rng: Rng
  /** --jobs: opt-in job workloads run */
  jobs: boolean
  /** --replay: this step as the recorded run resolved it (same kind, same position among its kind) */
  replayed?: { step: PlanStep; file: string }
}

/** What running a step may use: the started run. */
export interface StepContext {
  cluster: Cluster
  links: Links | null
  recorder: Recorder
  rng: Rng
  lag: LagMonitor
  out: RunOutput
  signal: AbortSignal
  seed: number
  /** whether a group's nodes send heartbeats (v1.3.0 nodes do not; libp2p nodes gossip) */
  sendsHeartbeats(group: string): boolean
  /** whether a group's nodes can never read CONNECTED (no heartbeats, to orchestrators that read liveness from heartbeats only) */
  neverConnected(group: string): boolean
  /** a restart with rotate_token: makes the new token (and teaches the redactor), returns it */
  rotateToken(): string
  /** restarts a group's nodes in place (same ids); `keepLock`: they keep their registration lock */
  restartNodes(group: string, keepLock: boolean): Promise<{ restarted: number; failed: number }>
  /** route authentication is on (recorded with a rogue orchestrator's result) */
  routeAuth: boolean
  /** wait_for steps that ran out of time, and chaos invariants broken: failed checks; the run goes on */
  timeouts: string[]
  /** wait_for steps with `on_timeout: note` that ran out of time: reported, not failed */
  notes: string[]
  /** faults not yet healed, by id */
  active: Map<string, ActiveFault>
  /** heals scheduled by a fault's duration, awaited at the end of the timeline */
  pendingHeals: Set<Promise<void>>
  /** job workloads started by `jobs` steps: they run beside the timeline, settled at its end */
  workloads: JobWorkload[]
}

export interface StepKind<S extends { kind: string } = { kind: string }, P extends PlanStep = PlanStep> {
  readonly keyword: string
  /** one line: what it does (docs, errors listing the known steps) */
  readonly summary: string
  /** --replay takes this kind's resolved steps from the recorded run.json (a chaos schedule) */
  readonly replayable?: boolean
  /** the YAML map, validated and turned into the step as written (durations unresolved) */
  readonly schema: z.ZodType<S>
  /** one line for logs, as written */
  describe(step: S): string
  /** the step with every choice made; null: left out of this run (an opt-in workload without --jobs) */
  resolve(step: S, ctx: ResolveContext): P | null
  /** the capabilities the resolved step needs from the transport or the backend */
  requires?(p: P): Requirement[]
  /** the faults it may apply (a link fault makes the run set up its backend's links) */
  faults?(p: P): PlanFault[]
  /** how many orchestrators the run has once it ran (a scale step), else undefined */
  orchestrators?(step: S): number | undefined
  /** metrics it records under names it chooses (ask_for_bid's `metric`), beyond the built-in ones */
  metrics?(p: P): string[]
  /** runs it; false: it did not do what it meant to (recorded on its step.end event) */
  run(ctx: StepContext, p: P, index: number): Promise<boolean>
  /** at the end of the timeline: what it left running is finished (heals due, job outcomes) */
  settle?(ctx: StepContext): Promise<void>
}
