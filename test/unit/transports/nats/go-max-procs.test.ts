import t from 'tap'
import { goMaxProcsFor } from '../../../../sim/transports/nats/server-process.ts'

t.test('GOMAXPROCS per nats-server: the cores shared among the servers, at least one', async (t) => {
  t.equal(goMaxProcsFor(3, 2), 1, 'three servers on two cores: one thread each')
  t.equal(goMaxProcsFor(3, 8), 2)
  t.equal(goMaxProcsFor(1, 8), 8, 'a lone server keeps every core')
  t.equal(goMaxProcsFor(32, 4), 1)
  t.equal(goMaxProcsFor(0, 4), 4, 'no server count: as for one')
})
