import { resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import { nodeLimit } from '../platform/capacity.ts'
import { METRIC_ORDER } from '../metrics/summary.ts'
import { stepKind } from '../steps/index.ts'
import { parseDuration, DurationError } from '../core/duration.ts'
import { createRng, randomSeed } from '../core/rng.ts'
import { PROFILES, resolveTimers, type Timers } from '../model/profiles.ts'
import { resolveLibp2pTimers } from '../model/libp2p-timers.ts'
import { BACKEND_NAMES, type PlanGroup, type RunPlan, type TransportName } from '../plan/run-plan.ts'
import { toHostResources } from '../plan/resources-schema.ts'
import type { HostResources } from '../core/hosts.ts'
import { backendTraits } from '../backends/index.ts'
import { TRANSPORTS, transportPlugin } from '../transports/index.ts'
import { checkOrchestratorTemplate } from '../transports/nats/orchestrator-template.ts'
import { defaultScenariosDir, findScenario } from './catalog.ts'
import { DEFAULT_SETTINGS, autoWorkers } from './defaults.ts'
import { loadHarnessConfig } from './load.ts'
import { checkReplayCounts, loadReplay } from './replay.ts'
import { capabilityProblems } from './requirements.ts'
import { libp2pProfileProblems } from './libp2p-profile.ts'
import { resolveAssertions } from './resolve-assertions.ts'
import { resolveAuth } from './resolve-auth.ts'
import { checkClient } from './resolve-client.ts'
import { parseTimeline, resolveTimeline, maxOrchestrators } from './resolve-timeline.ts'
import { scenarioSchema } from './scenario-schema.ts'
import { settingsSchema, type Settings } from './settings-schema.ts'
import { YamlFile, type Issue, type Path } from './yaml-file.ts'

/** What the command line (or an API caller) adds on top of the files. */
export interface RunOptions extends Settings {
  scenario: string
  /** total compute nodes; groups are scaled in proportion */
  nodes?: number
  /** initial orchestrator count */
  orchestrators?: number
  /** harness.config.yaml: a path (must exist), undefined (./harness.config.yaml when present) or null (none) */
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

const timerOverrides = (yaml: YamlFile | null, base: Path, raw: Settings['timers']): Partial<Timers> => {
  const out: Record<string, number | null> = {}
  for (const [k, v] of Object.entries(raw ?? {})) {
    if (v === undefined) continue
    try {
      out[k] = v === null ? null : parseDuration(v)
    } catch (e) {
      if (yaml && e instanceof DurationError) yaml.fail([{ path: [...base, k], message: e.message }])
      throw e
    }
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

/** The settings given on the command line, validated like a file's (E_USAGE naming the flag). */
const flagSettings = (opts: RunOptions): Settings => {
  const flags: Settings = Object.fromEntries(
    Object.keys(settingsSchema.shape).flatMap((k) => (opts[k as keyof Settings] === undefined ? [] : [[k, opts[k as keyof Settings]]])),
  )
  const check = settingsSchema.safeParse(flags)
  if (!check.success) {
    const i = check.error.issues[0]
    const flag = i?.path[0] === 'membership' ? 'membership-replicas' : String(i?.path[0] ?? '').replace(/_/g, '-')
    throw new NetsimError('E_USAGE', `--${flag}: ${i?.message}`)
  }
  return flags
}

/**
 * defaults < harness.config.yaml < scenario < flags, into one RunPlan: load (the harness config
 * and the scenario file, each validated with its positions), merge the layers, resolve the
 * groups, the auth, the timeline (through the step registry) and the assertions, then check what
 * the plan needs against what its transport and backend offer. Every problem found in a file is
 * reported with the file, line and field, before anything starts.
 */
export const resolvePlan = (opts: RunOptions): RunPlan => {
  // Load
  const scenariosDir = opts.scenariosDir ?? defaultScenariosDir()
  const file = findScenario(opts.scenario, scenariosDir)
  const harness = loadHarnessConfig(opts.configFile)
  const yaml = YamlFile.read(file)
  const sc = yaml.validate(scenarioSchema)
  const flags = flagSettings(opts)

  // Merge the layers
  const pick = <K extends keyof Settings>(k: K): Settings[K] => flags[k] ?? sc[k] ?? harness.settings[k]
  // --network picks one transport; otherwise a scenario's `transports:` list runs each in turn
  // (resolvePlans), the first being this plan's; otherwise the `transport` setting.
  if (sc.transports !== undefined && sc.transport !== undefined)
    yaml.fail([{ path: ['transports'], message: 'set transport (one) or transports (several to compare), not both' }])
  const transports: TransportName[] =
    flags.transport !== undefined ? [flags.transport] : (sc.transports ?? [pick('transport') ?? DEFAULT_SETTINGS.transport])
  const transport = transports[0] as TransportName
  const plugin = transportPlugin(transport)
  const profile = pick('profile') ?? DEFAULT_SETTINGS.profile
  const timeScale = pick('time_scale') ?? DEFAULT_SETTINGS.time_scale
  const overrides = {
    ...timerOverrides(null, [], harness.settings.timers),
    ...timerOverrides(yaml, ['timers'], sc.timers),
    ...timerOverrides(null, [], flags.timers),
  }
  const timers = resolveTimers(profile, timeScale, overrides)
  const fault = pick('fault') ?? DEFAULT_SETTINGS.fault
  const backend = pick('backend') ?? DEFAULT_SETTINGS.backend

  // Groups, then --nodes
  const issues: Issue[] = []
  const names = new Set<string>()
  sc.groups.forEach((g, i) => {
    if (names.has(g.name)) issues.push({ path: ['groups', i, 'name'], message: `group "${g.name}" is defined twice` })
    names.add(g.name)
  })
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
    ...(g.resources === undefined ? {} : { resources: toHostResources(g.resources) as HostResources }),
  }))
  const limit = nodeLimit()
  if (opts.nodes !== undefined) {
    if (!Number.isInteger(opts.nodes) || opts.nodes < 1) throw new NetsimError('E_USAGE', `--nodes: expected a whole number >= 1, got ${opts.nodes}`)
    if (opts.nodes > limit.nodes)
      throw new NetsimError('E_USAGE', `--nodes ${opts.nodes}: this machine holds at most ${limit.nodes} nodes in a run (${limit.why})`)
    groups = scaleGroups(groups, opts.nodes)
  } else {
    const total = groups.reduce((n, g) => n + g.count, 0)
    if (total === 0) yaml.fail([{ path: ['groups'], message: 'the groups hold 0 nodes in all: a run needs at least one' }])
    if (total > limit.nodes)
      yaml.fail([{ path: ['groups'], message: `the groups hold ${total} nodes: this machine holds at most ${limit.nodes} in a run (${limit.why})` }])
  }
  const orchCount = opts.orchestrators ?? sc.orchestrators.count
  if (!Number.isInteger(orchCount) || orchCount < 1 || orchCount > 32)
    throw new NetsimError('E_USAGE', `--orchestrators: expected a whole number from 1 to 32, got ${opts.orchestrators}`)

  // Auth
  const routeAuth = opts.routeAuth ?? sc.orchestrators.route_auth
  const env = opts.env ?? process.env
  const auth = resolveAuth(
    {
      ...(opts.token === undefined ? {} : { flag: opts.token }),
      ...(opts.tokenFile === undefined ? {} : { flagFile: opts.tokenFile }),
      ...(env.NETSIM_AUTH_TOKEN === undefined ? {} : { env: env.NETSIM_AUTH_TOKEN }),
      configs: [
        { file: yaml.where(['node', 'network']), ...sc.node?.network },
        ...(harness.file ? [{ file: harness.file, ...harness.settings.node?.network }] : []),
      ],
    },
    { mode: sc.orchestrators.auth, style: sc.orchestrators.token_style, routeAuth },
  )

  // Timeline: the seed is fixed first, since a chaos schedule is drawn from it.
  const replay = opts.replay === undefined ? undefined : loadReplay(opts.replay)
  const seed = flags.seed ?? replay?.seed ?? pick('seed') ?? randomSeed()
  const parsed = parseTimeline(sc.timeline as unknown[])
  issues.push(...parsed.issues)
  if (issues.length > 0) yaml.fail(issues)
  if (opts.jobs === true && !parsed.steps.some((s) => s.kind === 'jobs'))
    throw new NetsimError('E_USAGE', `--jobs: scenario ${opts.scenario} has no jobs step (${file})`)
  if (replay)
    checkReplayCounts(
      replay,
      parsed.steps.map((s) => s.kind),
    )
  const maxOrch = maxOrchestrators(parsed.steps, orchCount)
  const timeline = resolveTimeline(
    parsed.steps,
    {
      groups: names,
      orchestrators: orchCount,
      defaultFault: fault,
      timers,
      rng: createRng(seed),
      jobs: opts.jobs === true,
      ...(replay ? { replay } : {}),
    },
    issues,
  )
  sc.groups.forEach((g, i) => {
    if (g.orchestrators !== undefined) {
      const problem = checkOrchestratorTemplate(g.orchestrators, orchCount)
      if (problem) issues.push({ path: ['groups', i, 'orchestrators'], message: problem })
    }
    if (Array.isArray(g.seeds))
      for (const [j, s] of g.seeds.entries())
        if (Number(s.slice(5)) >= orchCount)
          issues.push({ path: ['groups', i, 'seeds', j], message: `${s} does not exist at start: the run starts ${orchCount} orchestrator(s)` })
  })
  if (issues.length > 0) yaml.fail(issues)

  const client = pick('client') ?? DEFAULT_SETTINGS.client
  checkClient(client, { transport, timeline, backend }, flags.client !== undefined ? `--client ${client}` : `client ${client}`)

  // libp2p only under the versions that had it (or when asked for regardless)
  const libp2pProblems = pick('libp2p_any_profile')
    ? []
    : libp2pProfileProblems(transport, { run: profile, groups }, flags.transport !== undefined ? `--network ${transport}` : `transport ${transport}`)
  for (const p of libp2pProblems) {
    if (p.group === undefined && (flags.transport !== undefined || flags.profile !== undefined)) throw new NetsimError('E_USAGE', p.message)
    const path =
      p.group !== undefined
        ? ['groups', sc.groups.findIndex((g) => g.name === p.group), 'profile']
        : [sc.transports !== undefined ? 'transports' : sc.transport !== undefined ? 'transport' : 'profile']
    issues.push({ path, message: p.message })
  }
  if (issues.length > 0) yaml.fail(issues)

  // Membership: the profile's bucket; no more replicas than servers to hold them at start.
  const replicas = pick('membership')?.replicas ?? DEFAULT_SETTINGS.membership.replicas
  if (replicas > orchCount) {
    const message = `${replicas} replicas, but the run starts ${orchCount} orchestrator(s), and JetStream puts each replica on a different server: use at most ${orchCount}, or more orchestrators`
    if (flags.membership !== undefined) throw new NetsimError('E_USAGE', `--membership-replicas ${replicas}: ${message}`)
    if (opts.orchestrators !== undefined) throw new NetsimError('E_USAGE', `--orchestrators ${orchCount}: ${message}`)
    yaml.fail([{ path: sc.membership !== undefined ? ['membership', 'replicas'] : ['orchestrators', 'count'], message }])
  }

  // What the plan needs against what its transport and backend offer, before anything starts.
  const unsupported = capabilityProblems(
    {
      timeline,
      groups: sc.groups,
      routeAuth,
      resources: [
        ...(sc.orchestrators.resources === undefined ? [] : [['orchestrators', 'resources'] as Path]),
        ...sc.groups.flatMap((g, i) => (g.resources === undefined ? [] : [['groups', i, 'resources'] as Path])),
      ],
    },
    plugin,
    backendTraits(backend),
    {
      transport: flags.transport !== undefined ? `--network ${transport}` : `transport ${transport}`,
      backend: flags.backend !== undefined ? `--backend ${backend}` : `backend ${backend}`,
    },
    { transports: Object.values(TRANSPORTS), backends: BACKEND_NAMES.map(backendTraits) },
  )
  if (unsupported.length > 0) yaml.fail(unsupported)

  const assertions = resolveAssertions(
    sc.assertions,
    {
      fault,
      transport,
      absentMetrics: plugin.absentMetrics,
      routeAuth,
      profile,
      jobs: timeline.some((s) => s.kind === 'jobs'),
      membershipReplicas: replicas,
      groups: names,
      timers,
      metrics: new Set([...METRIC_ORDER, ...timeline.flatMap((p) => stepKind(p.kind).metrics?.(p) ?? [])]),
    },
    issues,
  )
  if (issues.length > 0) yaml.fail(issues)

  const ms = (path: Path, spec: number | string) => {
    try {
      return parseDuration(spec, timers)
    } catch (e) {
      if (e instanceof DurationError) yaml.fail([{ path, message: e.message }])
      throw e
    }
  }
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
    membership: { bucket: PROFILES[profile].membership_bucket, replicas },
    orchestrators: {
      count: orchCount,
      manualApproval: sc.orchestrators.manual_approval,
      lameDuck: {
        durationMs:
          sc.orchestrators.lame_duck_duration === undefined
            ? timers.lame_duck_duration
            : ms(['orchestrators', 'lame_duck_duration'], sc.orchestrators.lame_duck_duration),
        graceMs:
          sc.orchestrators.lame_duck_grace === undefined
            ? timers.lame_duck_grace
            : ms(['orchestrators', 'lame_duck_grace'], sc.orchestrators.lame_duck_grace),
      },
      max: maxOrch,
      clustered: maxOrch > 1,
      ...(sc.orchestrators.resources === undefined ? {} : { resources: toHostResources(sc.orchestrators.resources) as HostResources }),
    },
    groups,
    auth,
    timeline,
    assertions,
    workers: workers === 'auto' ? autoWorkers() : workers,
    startConcurrency: pick('start_concurrency') ?? DEFAULT_SETTINGS.start_concurrency,
    serverOrder: pick('server_order') ?? DEFAULT_SETTINGS.server_order,
    client,
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
