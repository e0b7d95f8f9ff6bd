import { z } from 'zod'
import { PROFILE_NAMES } from '../model/profiles.ts'
import { durationSchema, settingsSchema } from './settings-schema.ts'
import { PROCESS_FAULT_NAMES } from '../faults/index.ts'
import { STATS, TRANSPORT_NAMES } from '../plan/run-plan.ts'
import { resourcesSchema } from '../plan/resources-schema.ts'

/**
 * A scenario file (docs/scenarios.md): settings (which override harness.config.yaml), the topology,
 * the timeline (validated step by step by the step registry, sim/steps) and the assertions.
 */

const seedsSchema = z.union([
  z.literal('spread').describe('node i is given orchestrator i mod M only'),
  z.literal('all'),
  z.array(z.string().regex(/^orch-\d+$/, 'expected an orchestrator name such as orch-0')).min(1),
])

export const groupSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a group name of lowercase letters, digits, - and _'),
  count: z.number().int().min(0).max(100_000),
  seeds: seedsSchema.default('spread'),
  /** what the node presents: the configured token (node.network.authsecret), none, or a wrong one */
  token: z.enum(['config', 'none', 'wrong']).default('config'),
  /** Bacalhau's --orchestrators value, with {orch-N} for an orchestrator's host:port and
   *  {token} / {wrong_token} for the (URL-encoded) tokens, e.g. "nats://{token}@{orch-0}".
   *  Overrides `seeds`. */
  orchestrators: z.string().min(1).optional(),
  /** rejected: the group is meant to be refused (reject_ms applies, a registration is a leak) */
  expect: z.enum(['accepted', 'rejected']).default('accepted'),
  /** this group's Bacalhau version (client timers, heartbeat subjects); default: the run's */
  profile: z.enum(PROFILE_NAMES).optional(),
  /** libp2p: the nodes listen (true) or sit behind NAT with no address anyone can dial (false).
   *  NATS nodes always dial out, so NATS ignores it. */
  dialable: z.boolean().default(true),
  /** libp2p: the nodes also subscribe to node-info gossip, as Bacalhau's do (default false:
   *  publish only; subscribed nodes cost O(N²) CPU when many share one worker process) */
  gossip_subscribe: z.boolean().default(false),
  /** what the group's host may use: { cpus, memory } (docker only) */
  resources: resourcesSchema.optional(),
})

export const assertionSchema = z
  .strictObject({
    metric: z.string().regex(/^[a-z_]+$/, 'expected a metric name such as reconnect_ms'),
    stat: z.enum(STATS),
    group: z.string().default('all'),
    max: durationSchema.optional(),
    min: durationSchema.optional(),
    equals: z.number().optional(),
    /** only checked when the run's fault type is one of these (budgets differ by fault) */
    when_fault: z
      .array(z.enum(PROCESS_FAULT_NAMES as [string, ...string[]]))
      .min(1)
      .optional(),
    /** only checked when route authentication is (true) or is not (false) on */
    when_route_auth: z.boolean().optional(),
    /** only checked under these profiles */
    when_profile: z.array(z.enum(PROFILE_NAMES)).min(1).optional(),
    /** only checked when the run's transport is one of these */
    when_transport: z.array(z.enum(TRANSPORT_NAMES)).min(1).optional(),
    /** only when the run has a job workload (a jobs step, opt-in ones with --jobs) */
    when_jobs: z.boolean().optional(),
    /** only when the membership bucket has one of these replica counts (`membership.replicas`) */
    when_membership_replicas: z.array(z.number().int().min(1)).min(1).optional(),
  })
  .refine((a) => a.max !== undefined || a.min !== undefined || a.equals !== undefined, { message: 'an assertion needs max, min or equals' })

export const scenarioSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().default(''),
    /** run the whole scenario once per transport and compare them (sim/run/run-transports.ts);
     *  `--network` picks one of them instead. `transport:` (a setting) names a single one. */
    transports: z
      .array(z.enum(TRANSPORT_NAMES))
      .min(2, 'list at least two transports (or use transport: for one)')
      .refine((ts) => new Set(ts).size === ts.length, 'each transport once')
      .optional(),
    orchestrators: z
      .strictObject({
        count: z.number().int().min(1).max(32).default(3),
        manual_approval: z.boolean().default(false),
        /** nats-server's lame-duck timers; default: nats-server's own (2 min, 10 s), scaled
         *  (`lame_duck_duration` and `lame_duck_grace` timers) */
        lame_duck_duration: durationSchema.optional(),
        lame_duck_grace: durationSchema.optional(),
        /** token: clients need the token; none: anyone may connect (Bacalhau with an empty authsecret) */
        auth: z.enum(['token', 'none']).default('token'),
        /** a generated token: plain, or with characters a URL must escape (@ : / % + space) */
        token_style: z.enum(['plain', 'url-special']).default('plain'),
        /** user/password on cluster routes (Bacalhau configures none) */
        route_auth: z.boolean().default(false),
        /** what each orchestrator's host may use: { cpus, memory } (docker only) */
        resources: resourcesSchema.optional(),
      })
      .prefault({}),
    groups: z.array(groupSchema).min(1),
    timeline: z.array(z.unknown()).default([]),
    assertions: z.array(assertionSchema).default([]),
  })
  .extend(settingsSchema.shape)

export type ScenarioFile = z.infer<typeof scenarioSchema>
export type Assertion = z.infer<typeof assertionSchema>
