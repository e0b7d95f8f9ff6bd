import t from 'tap'
import { parseMemory, toHostResources } from '../../../sim/plan/resources-schema.ts'

t.test("memory sizes in Docker's units (powers of 1024)", async (t) => {
  t.equal(parseMemory('256m'), 256 * 1024 ** 2)
  t.equal(parseMemory('256MiB'), 256 * 1024 ** 2)
  t.equal(parseMemory('1g'), 1024 ** 3)
  t.equal(parseMemory('1.5G'), 1.5 * 1024 ** 3)
  t.equal(parseMemory('64k'), 65_536)
  t.equal(parseMemory('7000000'), 7_000_000, 'bytes without a unit')
  t.equal(parseMemory('lots'), null)
  t.equal(parseMemory('-1m'), null)
  t.same(toHostResources({ cpus: 0.5 }), { cpus: 0.5 })
  t.equal(toHostResources(undefined), undefined)
})
