/**
 * A libp2p-mode orchestrator's process (the counterpart of sim/transports/nats/orchestrator/agent-main.ts): one
 * Libp2pOrchestrator, so a fault (SIGKILL, SIGTERM, SIGSTOP) hits it alone, as it would hit a
 * Bacalhau requester. Started by libp2p-cluster.ts with the run id and its name on the command
 * line (for reaping); the spec arrives over IPC.
 *
 * Lifecycle events (orch.start / orch.ready / orch.down) are the harness's to emit, as for NATS
 * orchestrators: a killed process cannot report its own death. Everything else (node states,
 * node infos as heartbeats, bids) is sent in batches.
 */
import { settle } from '../../core/abandon.ts'
import { now } from '../../core/clock.ts'
import { makeEvent, type RawEvent } from '../../core/events.ts'
import { EventBatcher, sendToParent } from '../../platform/event-batcher.ts'
import { Libp2pOrchestrator, type Libp2pOrchestratorSpec } from './libp2p-orchestrator.ts'
import { NODE_INFO_TOPIC } from './protocol.ts'
import type { JobOrder } from '../../jobs/job-protocol.ts'

export type Libp2pOrchestratorCommand =
  | { type: 'start'; spec: Libp2pOrchestratorSpec }
  /** dial these orchestrators (multiaddrs), so that gossip crosses to them */
  | { type: 'connect'; peers: string[] }
  /** peer ids this one exchanges node-info gossip with directly (its gossipsub mesh) */
  | { type: 'mesh' }
  | { type: 'ask_for_bid'; nodes: string[]; timeoutMs: number; metric: string }
  | { type: 'job'; order: JobOrder }
  | { type: 'stop' }

/** Calls in flight at once: enough to overlap dials, few enough not to starve the event loop. */
const BID_CONCURRENCY = 64
const LIFECYCLE = new Set<RawEvent['kind']>(['orch.start', 'orch.ready', 'orch.down'])

const batcher = new EventBatcher((events) => sendToParent({ type: 'events', events }))
let orch: Libp2pOrchestrator | null = null

const askAll = async (o: Libp2pOrchestrator, nodes: string[], timeoutMs: number, metric: string): Promise<{ asked: number; ok: number }> => {
  let next = 0
  let ok = 0
  const lane = async () => {
    while (next < nodes.length) {
      const id = nodes[next++] as string
      const t0 = now()
      const r = await o.askNode(id, { JobID: metric, Orchestrator: o.spec.name }, { timeoutMs })
      const ms = Math.round((now() - t0) * 1000) / 1000
      if (r.ok) ok++
      batcher.push(
        makeEvent(
          'orch.bid',
          { orch: o.spec.name, node: id },
          r.ok ? { ok: true, code: 'OK', ms, metric, via: r.via } : { ok: false, code: r.code, ms, metric, message: r.message },
        ),
      )
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(BID_CONCURRENCY, nodes.length)) }, lane))
  return { asked: nodes.length, ok }
}

const stop = async (): Promise<void> => {
  await settle(orch?.stop(), 'the process exits next: a host that fails to stop is gone with it')
  batcher.flush()
}

process.on('message', async (msg: Libp2pOrchestratorCommand) => {
  switch (msg.type) {
    case 'start':
      try {
        orch = new Libp2pOrchestrator(msg.spec, (e) => {
          if (!LIFECYCLE.has(e.kind)) batcher.push(e)
        })
        await orch.start()
        sendToParent({ type: 'ready', multiaddr: orch.multiaddr, peerId: orch.peerId })
      } catch (err) {
        sendToParent({ type: 'fatal', message: (err as Error).message })
        process.exit(1)
      }
      break
    case 'connect': {
      const failures: string[] = []
      for (const peer of msg.peers) {
        try {
          await orch?.connectTo(peer)
        } catch (err) {
          failures.push((err as Error).message)
        }
      }
      sendToParent({ type: 'connected', failures })
      break
    }
    case 'mesh': {
      // getMeshPeers is on js-gossipsub's class but not its exported interface; subscribers
      // (peers that told us they are on the topic) is the next best thing.
      const pubsub = orch?.host.services.pubsub
      const mesh = (pubsub as unknown as { getMeshPeers?: (topic: string) => string[] } | undefined)?.getMeshPeers?.(NODE_INFO_TOPIC)
      sendToParent({ type: 'mesh', peers: mesh ?? pubsub?.getSubscribers(NODE_INFO_TOPIC).map(String) ?? [] })
      break
    }
    case 'job':
      orch?.submitJob(msg.order)
      break
    case 'ask_for_bid': {
      const r = orch ? await askAll(orch, msg.nodes, msg.timeoutMs, msg.metric) : { asked: 0, ok: 0 }
      batcher.flush() // the bids' events before the reply that ends the step
      sendToParent({ type: 'bids', ...r })
      break
    }
    case 'stop':
      await stop()
      sendToParent({ type: 'stopped' })
      process.exit(0)
  }
})
// SIGTERM is the `stop` fault: a clean shutdown that closes every connection (nodes see it at
// once), as a requester exiting normally would.
process.on('SIGTERM', () => void stop().then(() => process.exit(0)))
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness stops it
