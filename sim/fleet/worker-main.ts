/**
 * A compute worker process: runs many simulated nodes on one event loop and sends their events
 * to the harness in batches. Started by fleet.ts with the run id on its command line (so a
 * killed run's workers can be found and reaped); nodes, tokens included, arrive over its
 * channel (IPC, or a unix socket in a container), never on the command line.
 */
import '../platform/parent-channel.ts'
import type { FleetNodeSpec } from './node-spec.ts'
import { transportPlugin, type SimNode } from '../transports/index.ts'
import { makeEvent, type RawEvent } from '../core/events.ts'
import { EventBatcher, sendToParent } from '../platform/event-batcher.ts'

export type WorkerCommand =
  | { type: 'start'; nodes: FleetNodeSpec[]; concurrency: number }
  | { type: 'restart'; group: string; keepLock: boolean; concurrency: number }
  | { type: 'stop' }

/** Each node with the spec it was made from: a restart makes it again from the same spec (same identity). */
const nodes: { spec: FleetNodeSpec; node: SimNode }[] = []
const batcher = new EventBatcher((events) => sendToParent({ type: 'events', events }))

/** Each transport loads its node's libraries itself: NATS workers never load libp2p. */
const makeNode = (spec: FleetNodeSpec, emit: (e: RawEvent) => void): Promise<SimNode> => transportPlugin(spec.transport).createNode(spec, emit)

/** Starts nodes with at most `concurrency` handshakes + registrations (libp2p: first dials) in flight. */
const startAll = async (specs: FleetNodeSpec[], concurrency: number): Promise<void> => {
  let next = 0
  let ok = 0
  const lane = async () => {
    while (next < specs.length) {
      const spec = specs[next++] as FleetNodeSpec
      const node = await makeNode(spec, (e) => batcher.push(e))
      nodes.push({ spec, node })
      if (await node.start()) ok++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, lane))
  batcher.flush()
  sendToParent({ type: 'ready', started: ok, failed: specs.length - ok })
}

/**
 * Restarts this worker's nodes of `group`: each is stopped (its connection closed, no
 * `node.stopped`: it is not the end of the run) and made again from its spec, keeping its id
 * and, unless `keepLock` is false, its registration lock (NATS: it then skips RegisterNode).
 */
const restartGroup = async (group: string, keepLock: boolean, concurrency: number): Promise<void> => {
  const mine = nodes.filter((n) => n.spec.group === group)
  let next = 0
  let ok = 0
  const lane = async () => {
    while (next < mine.length) {
      const entry = mine[next++] as (typeof mine)[number]
      batcher.push(makeEvent('node.restart', { node: entry.spec.id }, { keep_lock: keepLock }))
      await entry.node.stop(false)
      if (!keepLock) await transportPlugin(entry.spec.transport).wipeNodeStore?.(entry.spec as never)
      entry.node = await makeNode(entry.spec, (e) => batcher.push(e))
      if (await entry.node.start()) ok++
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, mine.length)) }, lane))
  batcher.flush()
  sendToParent({ type: 'restarted', restarted: ok, failed: mine.length - ok })
}

const stopAll = async (): Promise<void> => {
  await Promise.all(nodes.map((n) => n.node.stop()))
  batcher.flush()
  sendToParent({ type: 'stopped' })
}

process.on('message', (msg: WorkerCommand) => {
  if (msg.type === 'start') void startAll(msg.nodes, msg.concurrency)
  else if (msg.type === 'restart') void restartGroup(msg.group, msg.keepLock, msg.concurrency)
  // stopped, it waits for the harness to end it (a group's workers may share a container that
  // ends with its first worker: each must have reported before any goes)
  else if (msg.type === 'stop') void stopAll()
})
// The harness is gone (killed, Ctrl-C): nothing left to report to.
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness decides when a worker stops (Ctrl-C reaches the whole group)
