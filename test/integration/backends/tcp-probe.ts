/**
 * The NATS probe (nats-probe.ts) run *inside* a network namespace (`ip netns exec <ns> node
 * tcp-probe.ts`) by the netns tests: one JSON command per stdin line, one JSON answer per line
 * on stdout.
 */
import { createInterface } from 'node:readline'
import { closeAll, handle, type Command } from './nats-probe.ts'

const reply = (o: object) => process.stdout.write(JSON.stringify(o) + '\n')

// One command at a time, in order.
let chain = Promise.resolve()
createInterface({ input: process.stdin })
  .on('line', (line) => {
    chain = chain.then(async () => {
      reply(await handle(JSON.parse(line) as Command))
    })
  })
  .on('close', () => {
    void chain.then(() => {
      closeAll()
      process.exit(0)
    })
  })
