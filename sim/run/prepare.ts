import { randomBytes } from 'node:crypto'
import { generateToken } from '../config/resolve-auth.ts'
import type { Backend } from '../core/hosts.ts'
import { Redactor } from '../core/secret.ts'
import { requireBackend } from '../backends/index.ts'
import { buildGoref, type GorefBinary } from '../fleet/goref-build.ts'
import type { RunPlan } from '../plan/run-plan.ts'
import { createRunDir, newRunId } from '../platform/run-dir.ts'
import { holdRunLock, type RunLock } from '../platform/run-lock.ts'
import { ensureWritableDir } from '../platform/make-dirs.ts'
import { reapPartials } from '../platform/atomic-dir.ts'
import { rmSync } from 'node:fs'
import type { RunOutput } from '../core/output.ts'
import { transportPlugin, type RunSecrets, type TransportPlugin } from '../transports/index.ts'
import { reapRuns } from './reap-runs.ts'

/**
 * The first phase of a run (docs/development.md, "The run lifecycle"): everything that can fail
 * without leaving anything behind happens before the run's directory exists, so a missing
 * binary or an unusable backend costs nothing to clean up. Then killed runs are reaped and the
 * run's private directory is made.
 */
export interface PreparedRun {
  runId: string
  runDir: string
  transport: TransportPlugin
  backend: Backend
  /** nats-server for this run (null: the transport needs none, and there is none) */
  binary: string | null
  /** the nats.go reference client, when real nats.go clients run the nodes (`client: nats.go`) */
  goref: GorefBinary | null
  secrets: RunSecrets
  /** every secret of the run, for the one redactor every line and error passes through */
  redactor: Redactor
  /** held from here to the end: the run is alive for every reaper (platform/run-lock.ts) */
  lock: RunLock
}

/** The end of what prepareRun made: the run dir goes, then the lock (the run is then dead to reapers). */
export const disposePrepared = async (p: PreparedRun): Promise<void> => {
  rmSync(p.runDir, { recursive: true, force: true })
  await p.lock.release()
}

/** The run's secrets: its token, a wrong one, route credentials; each taught to the redactor. */
export const makeSecrets = (plan: RunPlan, redactor: Redactor): RunSecrets => {
  const secrets: RunSecrets = {
    token: plan.auth.token.reveal(),
    wrongToken: generateToken(plan.auth.style),
    ...(plan.auth.routeAuth ? { routeAuth: { user: 'route', password: randomBytes(18).toString('base64url') } } : {}),
  }
  for (const s of [secrets.token, secrets.wrongToken, secrets.routeAuth?.password]) redactor.add(s)
  return secrets
}

export const prepareRun = async (plan: RunPlan, opts: { runId?: string; out: RunOutput; redactor: Redactor }): Promise<PreparedRun> => {
  const transport = transportPlugin(plan.transport)
  const secrets = makeSecrets(plan, opts.redactor)
  // Before anything is created: a missing nats-server (69) or a backend this machine cannot run.
  const binary = transport.binary(plan)
  // the reference client is built (or found built) now: a machine without Go fails here (69)
  const goref = plan.client === 'nats.go' ? await buildGoref() : null
  const backend = await requireBackend(plan.backend)
  // A reports folder the run could not write would cost the whole run at its end.
  ensureWritableDir(plan.reportsDir, 'reports folder (--out or reports_dir)')
  // A docker run knows its engine answers: it reaps killed runs' containers too.
  const reaped = await reapRuns(plan.backend === 'docker' ? { containers: { engineTimeoutMs: 5_000 } } : {})
  if (reaped.length > 0) {
    const what = reaped.map(
      (r) =>
        `${r.runId} (${r.killed.length} processes${r.namespaces.length ? `, ${r.namespaces.length} namespaces` : ''}${r.containers.length ? `, ${r.containers.length} containers` : ''})`,
    )
    opts.out.line(`reaped ${reaped.length} killed run(s): ${what.join(', ')}`)
  }
  const partials = reapPartials(plan.reportsDir)
  if (partials.length > 0) opts.out.line(`removed ${partials.length} half-written report(s) of killed runs: ${partials.join(', ')}`)
  const runId = opts.runId ?? newRunId()
  const lock = await holdRunLock(runId)
  try {
    return { runId, runDir: createRunDir(runId), transport, backend, binary, goref, secrets, redactor: opts.redactor, lock }
  } catch (e) {
    await lock.release()
    throw e
  }
}
