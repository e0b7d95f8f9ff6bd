import type { RawEvent } from '../core/events.ts'
import { NetsimError } from '../core/errors.ts'
import { ProcessFleet } from './process-fleet.ts'
import type { FleetGroup } from './fleet.ts'
import type { GorefBinary } from './goref-build.ts'
import { GorefProcess } from './goref-process.ts'
import { gorefSpec } from './goref-spec.ts'
import type { FleetNodeSpec } from './node-spec.ts'

/**
 * The compute fleet as real nats.go clients (`client: nats.go`, docs/calibration.md): the
 * reference client (goref/) runs every node as a nats.go connection with Bacalhau's options and
 * reports the same events a simulated node does, on the same clock, into the same recorder, so
 * the run's metrics are derived from them by the same code. One process holds the whole fleet
 * (Go spreads the connections over every core itself); with `groups` (the netns backend) each
 * group gets its own, started on its host (process and netns only: it is fed over its stdin).
 */
export class GoFleet extends ProcessFleet<GorefProcess> {
  readonly client = 'nats.go'
  readonly #seed: number

  private constructor(procs: GorefProcess[], groupOf: (string | undefined)[], seed: number) {
    super(procs, groupOf)
    this.#seed = seed
  }

  /** `seed`: the run's, for the jitter draws (nats.go's pool order cannot be seeded). */
  static start(opts: { runId: string; binary: GorefBinary; seed: number; onEvents: (events: RawEvent[]) => void; groups?: FleetGroup[] }): GoFleet {
    // The run id on the command line: `netsim reap` finds the process by it after a kill -9.
    const argv = [opts.binary.path, '--run', opts.runId]
    if (opts.groups === undefined) return new GoFleet([new GorefProcess(argv, opts.onEvents)], [undefined], opts.seed)
    const used = opts.groups.filter((g) => g.count > 0)
    return new GoFleet(
      used.map((g) => {
        // A child fed over its stdin: it runs where the host's processes are children of the
        // harness (the plan check refuses the nats.go client on docker).
        const wrap = g.placement.wrap
        if (wrap === undefined)
          throw new NetsimError('E_UNSUPPORTED', `the nats.go reference client cannot run on group ${g.name}'s host: it is no child process here`)
        return new GorefProcess(wrap(argv), opts.onEvents)
      }),
      used.map((g) => g.name),
      opts.seed,
    )
  }

  protected async launchNodes(
    nodes: FleetNodeSpec[],
    opts: { concurrency: number; timeoutMs: number },
  ): Promise<{ started: number; failed: number }> {
    const replies = await Promise.all(
      this.procs.map(async (p, i) => {
        const group = this.groupOf[i]
        const share = group === undefined ? nodes : nodes.filter((n) => n.group === group)
        if (share.length === 0) return { started: 0, failed: 0 }
        const ready = p.waitFor('ready', opts.timeoutMs)
        p.send({ type: 'start', spec: gorefSpec(share, { seed: this.#seed, concurrency: opts.concurrency }) })
        try {
          const r = await ready
          return { started: Number(r.started), failed: Number(r.failed) }
        } catch (err) {
          throw new NetsimError(
            'E_WORKER',
            `the nats.go reference client (pid ${p.pid}) failed while starting ${share.length} nodes: ${(err as Error).message}`,
            { cause: err },
          )
        }
      }),
    )
    return replies.reduce((a, r) => ({ started: a.started + r.started, failed: a.failed + r.failed }), { started: 0, failed: 0 })
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        const stopped = p.waitFor('stopped', timeoutMs).catch(() => null)
        p.send({ type: 'stop' })
        await stopped
        await p.kill()
      }),
    )
  }
}
