/**
 * A compute worker process: runs many simulated nodes on one event loop and sends their events
 * to the harness in batches. Started by fleet.ts with the run id on its command line (so a
 * killed run's workers can be found and reaped); nodes, tokens included, arrive over its
 * channel (IPC, or a unix socket in a container), never on the command line.
 */
import '../platform/parent-channel.ts'
import type { FleetNodeSpec } from './node-spec.ts'
import { transportPlugin, type SimNode } from '../transports/index.ts'
import type { RawEvent } from '../core/events.ts'
import { EventBatcher, sendToParent } from '../platform/event-batcher.ts'

export type WorkerCommand = { type: 'start'; nodes: FleetNodeSpec[]; concurrency: number } | { type: 'stop' }

const nodes: SimNode[] = []
const batcher = new EventBatcher((events) => sendToParent({ type: 'events', events }))

/** Each transport loads its node's libraries itself: NATS workers never load libp2p. */
const makeNode = (spec: FleetNodeSpec, emit: (e: RawEvent) => void): Promise<SimNode> => transportPlugin(spec.transport).createNode(spec, emit)

/** Starts nodes with at most `concurrency` handshakes + registrations (libp2p: first dials) in flight. */
const startAll = async (specs: FleetNodeSpec[], concurrency: number): Promise<void> => {
  let next = 0
  let ok = 0
  const lane = async () => {
    while (next < specs.length) {
      const node = await makeNode(specs[next++] as FleetNodeSpec, (e) => batcher.push(e))
      nodes.push(node)
      if (await node.start()) ok++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, lane))
  batcher.flush()
  sendToParent({ type: 'ready', started: ok, failed: specs.length - ok })
}

const stopAll = async (): Promise<void> => {
  await Promise.all(nodes.map((n) => n.stop()))
  batcher.flush()
  sendToParent({ type: 'stopped' })
}

process.on('message', (msg: WorkerCommand) => {
  if (msg.type === 'start') void startAll(msg.nodes, msg.concurrency)
  // stopped, it waits for the harness to end it (a group's workers may share a container that
  // ends with its first worker: each must have reported before any goes)
  else if (msg.type === 'stop') void stopAll()
})
// The harness is gone (killed, Ctrl-C): nothing left to report to.
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness decides when a worker stops (Ctrl-C reaches the whole group)
