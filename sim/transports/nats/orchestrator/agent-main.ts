/**
 * An orchestrator's control-plane process. It runs beside its nats-server (they share fate:
 * a fault signals both, as when the server is embedded in Bacalhau's orchestrator process).
 * The run id and name are on the command line (for reaping); the spec, token included,
 * arrives over its channel (IPC, or a unix socket in a container).
 */
import '../../../platform/parent-channel.ts'
import { ControlPlane, type ControlPlaneSpec } from './control-plane.ts'
import { startHttpApi } from './http-api.ts'
import { EventBatcher, sendToParent } from '../../../platform/event-batcher.ts'
import type { JobOrder } from '../../../jobs/job-protocol.ts'

const batcher = new EventBatcher((events) => sendToParent({ type: 'events', events }))
let plane: ControlPlane | null = null

type AgentCommand =
  | { type: 'start'; spec: ControlPlaneSpec }
  | { type: 'stop' }
  | { type: 'verbose'; on: boolean }
  | { type: 'ask_for_bid'; nodes: string[]; timeoutMs: number; metric: string }
  | { type: 'job'; order: JobOrder }

process.on('message', async (msg: AgentCommand) => {
  if (msg.type === 'verbose') {
    plane?.setVerbose(msg.on)
    return
  }
  if (msg.type === 'job') {
    plane?.submitJob(msg.order)
    return
  }
  if (msg.type === 'ask_for_bid') {
    const r = plane ? await plane.askForBid(msg.nodes, msg.timeoutMs, msg.metric) : { asked: 0, ok: 0 }
    batcher.flush() // the bids' events before the reply that ends the step
    sendToParent({ type: 'bids', ...r })
    return
  }
  if (msg.type === 'start') {
    try {
      plane = new ControlPlane(msg.spec, (e) => batcher.push(e))
      await plane.start()
      const { port } = await startHttpApi(msg.spec.name, () => (plane as ControlPlane).nodes())
      sendToParent({ type: 'ready', http: port })
    } catch (err) {
      sendToParent({ type: 'fatal', message: (err as Error).message })
      process.exit(1)
    }
  } else if (msg.type === 'stop') {
    await plane?.stop()
    batcher.flush()
    sendToParent({ type: 'stopped' })
    process.exit(0)
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness stops it
