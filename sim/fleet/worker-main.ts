/**
 * A compute worker process: runs many simulated nodes on one event loop and sends their events
 * to the harness in batches. Started by fleet.ts with the run id on its command line (so a
 * killed run's workers can be found and reaped); nodes, tokens included, arrive over IPC,
 * never on the command line.
 */
import { ComputeNode } from '../transports/nats/compute/compute-node.ts'
import type { FleetNodeSpec, NodeSpec } from './node-spec.ts'
import type { RawEvent } from '../core/events.ts'
import { EventBatcher, sendToParent } from '../platform/event-batcher.ts'

export type WorkerCommand = { type: 'start'; nodes: FleetNodeSpec[]; concurrency: number } | { type: 'stop' }

/** What a worker needs of a node, whichever its transport. */
interface SimNode {
  start(): Promise<boolean>
  stop(): Promise<void>
}

const nodes: SimNode[] = []
const batcher = new EventBatcher((events) => sendToParent({ type: 'events', events }))

/** libp2p is loaded only by workers that run libp2p nodes: NATS workers stay as light as before. */
let libp2pNode: typeof import('../transports/libp2p/libp2p-compute-node.ts') | null = null
const makeNode = async (spec: FleetNodeSpec, emit: (e: RawEvent) => void): Promise<SimNode> => {
  if (spec.transport !== 'libp2p') return new ComputeNode(spec as NodeSpec, emit)
  libp2pNode ??= await import('../transports/libp2p/libp2p-compute-node.ts')
  return new libp2pNode.Libp2pComputeNode(spec, emit)
}

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
  else if (msg.type === 'stop') void stopAll().then(() => process.exit(0))
})
// The harness is gone (killed, Ctrl-C): nothing left to report to.
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness decides when a worker stops (Ctrl-C reaches the whole group)
