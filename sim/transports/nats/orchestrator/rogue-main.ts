/**
 * The rogue orchestrator's listener (rogue.ts): a NATS client of the rogue server, on the rogue
 * server's host (so it reaches it wherever that is: a container has an address the harness
 * cannot dial). It subscribes to everything, counts what the cluster's routes bring for the
 * window, and reports. The run id is on its command line, for reaping.
 */
import '../../../platform/parent-channel.ts'
import { connect } from '@nats-io/transport-node'
import { now, sleep } from '../../../core/clock.ts'
import { sendToParent } from '../../../platform/event-batcher.ts'

export type RogueCommand = { type: 'probe'; server: string; windowMs: number }

process.on('message', async (msg: RogueCommand) => {
  if (msg.type !== 'probe') return
  try {
    const nc = await connect({ servers: [msg.server], name: 'rogue' })
    let messages = 0
    let firstMs: number | null = null
    const subjects = new Set<string>()
    const ready = now()
    nc.subscribe('>', {
      callback: (_e, m) => {
        messages++
        firstMs ??= now() - ready
        if (subjects.size < 10) subjects.add(m.subject.replace(/\.[^.]*-\d+\./, '.<id>.'))
      },
    })
    await nc.flush()
    await sleep(msg.windowMs)
    await nc.close()
    sendToParent({ type: 'rogue', messages, firstMs: firstMs === null ? null : Math.round(firstMs * 1000) / 1000, subjects: [...subjects] })
  } catch (err) {
    sendToParent({ type: 'fatal', message: (err as Error).message })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness stops it
