/**
 * The NATS probe (nats-probe.ts) as an agent on a docker host (the docker tests): commands and
 * answers over its channel to the harness (a unix socket in the run dir: the container has no
 * other way out), one at a time, in order.
 */
import '../../../sim/platform/parent-channel.ts'
import { closeAll, handle, type Command } from './nats-probe.ts'

let chain = Promise.resolve()
process.on('message', (c: Command & { seq: number }) => {
  chain = chain.then(async () => {
    process.send?.({ type: 'probe', seq: c.seq, ...(await handle(c)) })
  })
})
process.on('disconnect', () => {
  closeAll()
  process.exit(0)
})
