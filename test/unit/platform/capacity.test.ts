import t from 'tap'
import { NODE_BUDGET_BYTES, nodeLimit, nodeLimits } from '../../../sim/platform/capacity.ts'
import { totalmem } from 'node:os'

t.test('the bounds of this machine, smallest first, each saying why', async (t) => {
  const limits = nodeLimits()
  t.ok(limits.length >= 1)
  t.strictSame(
    limits.map((l) => l.nodes),
    [...limits.map((l) => l.nodes)].sort((a, b) => a - b),
  )
  const mem = limits.find((l) => l.why.startsWith('memory'))
  t.equal(mem?.nodes, Math.floor((0.75 * totalmem()) / NODE_BUDGET_BYTES))
  t.strictSame(nodeLimit(), limits[0])
  // the bench runs 10,000 nodes on this project's machine: no bound may refuse that there
  t.ok(nodeLimit().nodes >= 10_000 || totalmem() < 8 * 2 ** 30, `limit ${nodeLimit().nodes}: ${nodeLimit().why}`)
  t.ok(nodeLimit().nodes < 1e9)
})
