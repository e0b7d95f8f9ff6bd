import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import { parseDuration, DurationError } from '../core/duration.ts'
import { PROFILES, resolveTimers, type Timers } from '../model/profiles.ts'
import { randomSeed } from '../core/rng.ts'
import { findScenario } from './catalog.ts'
import { scenarioSchema } from './scenario-schema.ts'
import { parseStep, describeStep, describeTarget, type Step } from '../steps/steps.ts'
import { resolveFault } from './resolve-fault.ts'
import { drawChaosSchedule } from '../steps/chaos-schedule.ts'
import { createRng } from '../core/rng.ts'
import { loadReplay, replaySchedules } from './replay.ts'
import { DEFAULT_SETTINGS, autoWorkers } from './defaults.ts'
import { settingsSchema, type Settings } from './settings-schema.ts'
import { YamlFile, type Issue, type Path } from './yaml-file.ts'
import { resolveAuth } from './resolve-auth.ts'
import { checkOrchestratorTemplate } from '../transports/nats/orchestrator-template.ts'
import type { PlanAssertion, PlanFault, PlanGroup, PlanStep, RunPlan } from './run-plan.ts'
import type { Transport } from './settings-schema.ts'
import { resolveLibp2pTimers } from '../model/libp2p-timers.ts'
import { transportProblems } from './check-transport.ts'
import { backendProblems } from './check-backend.ts'
import { NATS_ONLY_METRICS } from '../metrics/discovery.ts'

/** What the command line (or an API caller) adds on top of the files. */
export interface RunOptions extends Settings {
  scenario: string
  /** total compute nodes; groups are scaled in proportion */
  nodes?: number
  /** initial orchestrator count */
  orchestrators?: number
  /** harness.config.yaml; default: ./harness.config.yaml when it exists */
  configFile?: string | null
  scenariosDir?: string
  /** the orchestrators' token (--token), or a file holding it (--token-file) */
  token?: string
  tokenFile?: string
  /** user/password on cluster routes (--route-auth) */
  routeAuth?: boolean
  /** where NETSIM_AUTH_TOKEN is read from (default: process.env) */
  env?: NodeJS.ProcessEnv
  /** a run.json whose seed and chaos schedules to replay */
  replay?: string
  /** run the scenario's `opt_in` job workloads (--jobs) */
  jobs?: boolean
}

const loadHarnessConfig = (file: string | null): { settings: Settings; file: string | null } => {
  if (file === null || !existsSync(file)) return { settings: {}, file: null }
  const yaml = YamlFile.read(file)
  return { settings: yaml.validate(settingsSchema), file }
}

const ms = (yaml: YamlFile, path: Path, spec: number | string, timers?: Timers): number => {
  try {
    return parseDuration(spec, timers)
  } catch (e) {
    if (e instanceof DurationError) yaml.fail([{ path, message: e.message }])
    throw e
  }
}

const timerOverrides = (yaml: YamlFile | null, base: Path, raw: Settings['timers']): Partial<Timers> => {
  const out: Record<string, number | null> = {}
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue
    out[k] = v === null ? null : yaml ? ms(yaml, [...base, k], v) : parseDuration(v)
  }
  return out as Partial<Timers>
}

/** Splits `total` nodes over groups in proportion to their counts (largest remainder). */
export const scaleGroups = (groups: PlanGroup[], total: number): PlanGroup[] => {
  const sum = groups.reduce((a, g) => a + g.count, 0)
  if (sum === 0) return groups.map((g, i) => ({ ...g, count: i === 0 ? total : 0 }))
  const exact = groups.map((g) => (g.count / sum) * total)
  const counts = exact.map(Math.floor)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0])
  for (let k = 0, left = total - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k % order.length]![1]]! += 1
  return groups.map((g, i) => ({ ...g, count: counts[i] as number }))
}

/**
 * defaults < harness.config.yaml < scenario < flags, into one RunPlan. Every problem found in
 * a file is reported with the file, line and field.
 */
export const resolvePlan = (opts: RunOptions): RunPlan => {
  const scenariosDir = opts.scenariosDir ?? resolve('scenarios')
  const file = findScenario(opts.scenario, scenariosDir)
  const harness = loadHarnessConfig(opts.configFile === undefined ? resolve('harness.config.yaml') : opts.configFile)
  const yaml = YamlFile.read(file)
  const sc = yaml.validate(scenarioSchema)

  const flags: Settings = Object.fromEntries(
    Object.entries(settingsSchema.shape).flatMap(([k]) => (opts[k as keyof Settings] === undefined ? [] : [[k, opts[k as keyof Settings]]])),
  )
  const flagCheck = settingsSchema.safeParse(flags)
  if (!flagCheck.success) {
    const i = flagCheck.error.issues[0]
    throw new NetsimError('E_USAGE', `--${String(i?.path[0] ?? '').replace(/_/g, '-')}: ${i?.message}`)
  }
  const pick = <K extends keyof Settings>(k: K): Settings[K] => flags[k] ?? sc[k] ?? harness.settings[k]
  // --network picks one transport; otherwise a scenario's `transports:` list runs each in turn
  // (resolvePlans), the first being this plan's; otherwise the `transport` setting.
  if (sc.transports !== undefined && sc.transport !== undefined)
    yaml.fail([{ path: ['transports'], message: 'set transport (one) or transports (several to compare), not both' }])
  const transports: Transport[] =
    flags.transport !== undefined ? [flags.transport] : (sc.transports ?? [pick('transport') ?? DEFAULT_SETTINGS.transport])
  const transport = transports[0] as Transport
  const profile = pick('profile') ?? DEFAULT_SETTINGS.profile
  const timeScale = pick('time_scale') ?? DEFAULT_SETTINGS.time_scale
  const overrides = {
    ...timerOverrides(null, [], harness.settings.timers),
    ...timerOverrides(yaml, ['timers'], sc.timers),
    ...timerOverrides(null, [], flags.timers),
  }
  const timers = resolveTimers(profile, timeScale, overrides)

  // Groups, then --nodes.
  let groups: PlanGroup[] = sc.groups.map((g) => ({
    name: g.name,
    profile: g.profile ?? profile,
    timers: g.profile === undefined ? timers : resolveTimers(g.profile, timeScale, overrides),
    heartbeatSubjects: PROFILES[g.profile ?? profile].heartbeat_subjects,
    count: g.count,
    seeds: g.seeds,
    token: g.token,
    expect: g.expect,
    ...(g.orchestrators === undefined ? {} : { orchestrators: g.orchestrators }),
    dialable: g.dialable,
    gossipSubscribe: g.gossip_subscribe,
  }))
  const names = new Set<string>()
  const issues: Issue[] = []
  sc.groups.forEach((g, i) => {
    if (names.has(g.name)) issues.push({ path: ['groups', i, 'name'], message: `group "${g.name}" is defined twice` })
    names.add(g.name)
  })
  if (opts.nodes !== undefined) {
    if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new NetsimError('E_USAGE', `--nodes: expected a whole number >= 1, got ${opts.nodes}`)
    groups = scaleGroups(groups, opts.nodes)
  }
  const orchCount = opts.orchestrators ?? sc.orchestrators.count
  if (!Number.isInteger(orchCount) || orchCount < 1 || orchCount > 32)
    throw new NetsimError('E_USAGE', `--orchestrators: expected a whole number from 1 to 32, got ${opts.orchestrators}`)

  const routeAuth = opts.routeAuth ?? sc.orchestrators.route_auth
  const auth = resolveAuth(
    {
      ...(opts.token === undefined ? {} : { flag: opts.token }),
      ...(opts.tokenFile === undefined ? {} : { flagFile: opts.tokenFile }),
      ...((opts.env ?? process.env).NETSIM_AUTH_TOKEN === undefined ? {} : { env: (opts.env ?? process.env).NETSIM_AUTH_TOKEN as string }),
      configs: [
        { file: yaml.where(['node', 'network']), ...sc.node?.network },
        ...(harness.file ? [{ file: harness.file, ...harness.settings.node?.network }] : []),
      ],
    },
    { mode: sc.orchestrators.auth, style: sc.orchestrators.token_style, routeAuth },
  )

  // Timeline. The seed is fixed first: a chaos schedule is drawn from it.
  const replay = opts.replay === undefined ? undefined : loadReplay(opts.replay)
  const seed = flags.seed ?? replay?.seed ?? pick('seed') ?? randomSeed()
  const steps: Step[] = []
  ;(sc.timeline as unknown[]).forEach((raw, i) => {
    const r = parseStep(raw)
    if (r.ok) steps.push(r.step)
    else issues.push(...r.issues.map((x) => ({ path: ['timeline', i, ...x.path], message: x.message })))
  })
  if (issues.length > 0) yaml.fail(issues)
  let maxOrch = orchCount
  for (const s of steps) if (s.kind === 'scale') maxOrch = Math.max(maxOrch, s.orchestrators)
  const fault = pick('fault') ?? DEFAULT_SETTINGS.fault
  const rng = createRng(seed)
  const faultCtx = (path: Path, allowRandomGroup = false) => ({
    defaultType: fault,
    ms: (p: Path, spec: number | string) => ms(yaml, p, spec, timers),
    groups: names,
    maxOrch,
    path,
    issues,
    allowRandomGroup,
  })
  const jobsOn = opts.jobs === true
  if (jobsOn && !steps.some((s) => s.kind === 'jobs'))
    throw new NetsimError('E_USAGE', `--jobs: scenario ${opts.scenario} has no jobs step (${file})`)
  const timeline: PlanStep[] = steps
    .map((s, i): PlanStep | null => {
      const text = describeStep(s)
      const at = (key: string): Path => ['timeline', i, key]
      switch (s.kind) {
        case 'wait':
          return { kind: 'wait', ms: ms(yaml, at('wait'), s.duration, timers), text }
        case 'wait_for':
          return {
            kind: 'wait_for',
            condition: s.condition,
            timeoutMs: ms(yaml, at('timeout'), s.timeout, timers),
            text,
            ...(s.onTimeout === undefined ? {} : { onTimeout: s.onTimeout }),
          }
        case 'ask_for_bid':
          return {
            kind: 'ask_for_bid',
            timeoutMs: ms(yaml, ['timeline', i, 'ask_for_bid', 'timeout'], s.timeout, timers),
            from: s.from,
            metric: s.metric,
            text,
          }
        case 'fault': {
          const f = resolveFault(s.fault, faultCtx(['timeline', i]))
          return { kind: 'fault', fault: f, text: `fault ${f.type} on ${describeTarget(f.target)}` }
        }
        case 'chaos': {
          const c = s.chaos
          const base: Path = ['timeline', i, 'chaos']
          const choices = c.faults.map((f, j) => ({
            weight: f.weight,
            fault: resolveFault(f, faultCtx([...base, 'faults', j], true)) as PlanFault & { durationMs: number },
          }))
          const schedule = drawChaosSchedule(
            {
              durationMs: ms(yaml, [...base, 'duration'], c.duration, timers),
              gapMs: ms(yaml, [...base, 'gap'], c.gap, timers),
              choices,
              orchestrators: Array.from({ length: orchCount }, (_, k) => `orch-${k}`),
              groups: [...names],
            },
            rng.fork(`chaos-${i}`),
          )
          return {
            kind: 'chaos',
            schedule,
            recoverWithinMs: ms(yaml, [...base, 'recover_within'], c.recover_within, timers),
            text: `chaos: ${schedule.length} faults over ${c.duration}`,
          }
        }
        case 'jobs': {
          const j = s.jobs
          const base: Path = ['timeline', i, 'jobs']
          if (j.nodes !== 'all' && !names.has(j.nodes))
            issues.push({ path: [...base, 'nodes'], message: `no group named "${j.nodes}" (groups: ${[...names].join(', ')}, all)` })
          // An opt-in workload stays out of the plain timing runs (no --jobs); checked all the same.
          if (j.opt_in && !jobsOn) return null
          const runMs = ms(yaml, [...base, 'duration'], j.duration, timers)
          const timeoutMs = ms(yaml, [...base, 'timeout'], j.timeout, timers)
          const jobs = {
            rate: j.rate,
            runMs,
            forMs: j.for === undefined ? null : ms(yaml, [...base, 'for'], j.for, timers),
            group: j.nodes === 'all' ? null : j.nodes,
            via: j.via,
            timeoutMs,
            budgetMs: j.budget === undefined ? runMs + 3 * timeoutMs : ms(yaml, [...base, 'budget'], j.budget, timers),
            failureRate: j.failure_rate,
          }
          if (jobs.budgetMs < runMs)
            issues.push({
              path: [...base, 'budget'],
              message: `a budget of ${jobs.budgetMs} ms is shorter than the run itself (${runMs} ms): every job would be lost`,
            })
          return { kind: 'jobs', jobs, text }
        }
        case 'rogue_orchestrator':
          return { kind: 'rogue_orchestrator', windowMs: ms(yaml, ['timeline', i, 'rogue_orchestrator', 'window'], s.window, timers), text }
        default:
          return { ...s, text }
      }
    })
    .filter((s): s is PlanStep => s !== null)
  if (issues.length > 0) yaml.fail(issues)
  if (replay) replaySchedules(timeline, replay, opts.replay as string)
  for (const [i, s] of steps.entries()) {
    const target = 'target' in s ? s.target : s.kind === 'ask_for_bid' ? s.from : s.kind === 'jobs' ? s.jobs.via : undefined
    const m = typeof target === 'string' ? /^orch-(\d+)$/.exec(target) : null
    if (m && Number(m[1]) >= maxOrch)
      yaml.fail([{ path: ['timeline', i], message: `${target} does not exist: the run has ${maxOrch} orchestrator(s), orch-0..orch-${maxOrch - 1}` }])
  }
  sc.groups.forEach((g, i) => {
    if (g.orchestrators !== undefined) {
      const problem = checkOrchestratorTemplate(g.orchestrators, orchCount)
      if (problem) yaml.fail([{ path: ['groups', i, 'orchestrators'], message: problem }])
    }
    if (Array.isArray(g.seeds))
      for (const [j, s] of g.seeds.entries())
        if (Number(s.slice(5)) >= orchCount)
          yaml.fail([{ path: ['groups', i, 'seeds', j], message: `${s} does not exist at start: the run starts ${orchCount} orchestrator(s)` }])
  })

  // What the transport cannot do (link faults, lame duck, tokens... in libp2p mode), before
  // anything starts.
  const unsupported = transportProblems(transport, {
    timeline,
    groups: sc.groups.map((g) => ({ token: g.token, expect: g.expect, orchestrators: g.orchestrators })),
    routeAuth,
    via: flags.transport !== undefined ? `--network ${transport}` : `transport ${transport}`,
  })
  if (unsupported.length > 0) yaml.fail(unsupported)
  // What the backend cannot do (netns: latency, bandwidth, one-way or partial cuts...), likewise.
  const backend = pick('backend') ?? DEFAULT_SETTINGS.backend
  const misplaced = backendProblems(backend, {
    timeline,
    transport,
    via: flags.backend !== undefined ? `--backend ${backend}` : `backend ${backend}`,
  })
  if (misplaced.length > 0) yaml.fail(misplaced)

  const assertions: PlanAssertion[] = sc.assertions.flatMap((a, i) => {
    if (a.when_fault !== undefined && !a.when_fault.includes(fault)) return []
    if (a.when_transport !== undefined && !a.when_transport.includes(transport)) return []
    // register_ms, full_pool_ms, join_pool_ms do not exist in libp2p mode: nothing to check.
    if (transport === 'libp2p' && NATS_ONLY_METRICS.includes(a.metric)) return []
    if (a.when_route_auth !== undefined && a.when_route_auth !== routeAuth) return []
    if (a.when_profile !== undefined && !a.when_profile.includes(profile)) return []
    if (a.when_jobs !== undefined && a.when_jobs !== timeline.some((s) => s.kind === 'jobs')) return []
    const bound = (k: 'max' | 'min') => (a[k] === undefined ? {} : { [k]: ms(yaml, ['assertions', i, k], a[k], timers) })
    if (a.group !== 'all' && !names.has(a.group))
      yaml.fail([{ path: ['assertions', i, 'group'], message: `no group named "${a.group}" (groups: ${[...names].join(', ')}, all)` }])
    const text = [
      `${a.group}.${a.metric}.${a.stat}`,
      a.max !== undefined ? `<= ${a.max}` : null,
      a.min !== undefined ? `>= ${a.min}` : null,
      a.equals !== undefined ? `== ${a.equals}` : null,
    ]
      .filter((x) => x !== null)
      .join(' ')
    return [
      {
        metric: a.metric,
        stat: a.stat,
        group: a.group,
        ...bound('max'),
        ...bound('min'),
        ...(a.equals === undefined ? {} : { equals: a.equals }),
        text,
      },
    ]
  })

  const workers = pick('workers') ?? DEFAULT_SETTINGS.workers
  return {
    scenario: { name: sc.name ?? opts.scenario.replace(/^.*\//, '').replace(/\.ya?ml$/, ''), file, description: sc.description.trim() },
    transport,
    transports,
    backend,
    profile,
    timeScale,
    seed,
    fault,
    timers,
    libp2pTimers: resolveLibp2pTimers(timeScale),
    heartbeatSubjects: PROFILES[profile].heartbeat_subjects,
    orchestrators: {
      count: orchCount,
      manualApproval: sc.orchestrators.manual_approval,
      jetstream: sc.orchestrators.jetstream,
      lameDuck: {
        durationMs: ms(yaml, ['orchestrators', 'lame_duck_duration'], sc.orchestrators.lame_duck_duration, timers),
        graceMs: ms(yaml, ['orchestrators', 'lame_duck_grace'], sc.orchestrators.lame_duck_grace, timers),
      },
      clustered: maxOrch > 1,
    },
    groups,
    auth,
    timeline,
    assertions,
    workers: workers === 'auto' ? autoWorkers() : workers,
    startConcurrency: pick('start_concurrency') ?? DEFAULT_SETTINGS.start_concurrency,
    serverOrder: pick('server_order') ?? DEFAULT_SETTINGS.server_order,
    reportsDir: resolve(pick('reports_dir') ?? DEFAULT_SETTINGS.reports_dir),
    natsServerBin: pick('nats_server_bin') ?? null,
    configFile: harness.file,
  }
}

/**
 * The plans a scenario runs: one, or one per transport when it lists `transports:` (and no
 * --network picks one). Each is resolved with its transport as if given by flag, so what that
 * transport cannot do is an error before anything starts; all share the first one's seed.
 */
export const resolvePlans = (opts: RunOptions): RunPlan[] => {
  const first = resolvePlan(opts)
  if (opts.transport !== undefined || first.transports.length < 2) return [first]
  return first.transports.map((transport) => ({ ...resolvePlan({ ...opts, transport, seed: first.seed }), transports: first.transports }))
}
