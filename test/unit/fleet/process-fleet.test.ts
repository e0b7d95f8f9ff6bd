import t from 'tap'
import { ProcessFleet, type FleetProcess } from '../../../sim/fleet/process-fleet.ts'
import { NetsimError } from '../../../sim/core/errors.ts'
import type { FleetNodeSpec } from '../../../sim/fleet/node-spec.ts'

class StubProcess implements FleetProcess {
  readonly pid: number
  killed = 0
  constructor(pid: number) {
    this.pid = pid
  }
  async kill(): Promise<void> {
    this.killed++
  }
}

/** A fleet whose launch waits for `release` and counts what it was given. */
class StubFleet extends ProcessFleet<StubProcess> {
  readonly client = 'sim'
  launched: FleetNodeSpec[][] = []
  release: () => void = () => undefined
  readonly #released = new Promise<void>((resolve) => (this.release = resolve))

  constructor(procs: StubProcess[]) {
    super(
      procs,
      procs.map(() => undefined),
    )
  }

  protected async launchNodes(nodes: FleetNodeSpec[]): Promise<{ started: number; failed: number }> {
    this.launched.push(nodes)
    await this.#released
    return { started: nodes.length, failed: 0 }
  }

  async stop(): Promise<void> {}
}

const nodes = [{ id: 'n-1' }, { id: 'n-2' }] as unknown as FleetNodeSpec[]

t.test('pids are its processes, in order', async (t) => {
  t.same(new StubFleet([new StubProcess(11), new StubProcess(12)]).pids, [11, 12])
})

t.test('launch hands every node to launchNodes and resolves with its count', async (t) => {
  const fleet = new StubFleet([new StubProcess(1)])
  const launched = fleet.launch(nodes, { concurrency: 1, timeoutMs: 1000 })
  fleet.release()
  t.same(await launched, { started: 2, failed: 0 })
  t.same(fleet.launched, [nodes])
})

t.test('an abort during launch rejects E_INTERRUPTED without waiting for the nodes', async (t) => {
  const fleet = new StubFleet([new StubProcess(1)])
  const ac = new AbortController()
  const launched = fleet.launch(nodes, { concurrency: 1, timeoutMs: 1000, signal: ac.signal })
  ac.abort()
  await t.rejects(launched, new NetsimError('E_INTERRUPTED', 'interrupted'))
  fleet.release()
})

t.test('an already aborted launch starts nothing', async (t) => {
  const fleet = new StubFleet([new StubProcess(1)])
  const ac = new AbortController()
  ac.abort()
  await t.rejects(fleet.launch(nodes, { concurrency: 1, timeoutMs: 1000, signal: ac.signal }), { code: 'E_INTERRUPTED' })
  t.same(fleet.launched, [], 'launchNodes never ran')
})

t.test('dispose kills every process once', async (t) => {
  const procs = [new StubProcess(1), new StubProcess(2), new StubProcess(3)]
  await new StubFleet(procs).dispose()
  t.same(
    procs.map((p) => p.killed),
    [1, 1, 1],
  )
})
