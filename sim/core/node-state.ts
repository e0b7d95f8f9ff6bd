import type { SimEvent } from './events.ts'

/**
 * A compute node's connection as the node itself reports it, folded from its own events. The
 * one reducer every reader uses: the live state during a run (wait_for conditions, fault
 * targets), the failover metrics (which server a node was on when a fault hit) and the HTML
 * timeline (the state of each row over time), so the three can never disagree.
 *
 * - `node.connected` / `node.reconnected`: attached to `data.server`;
 * - `node.disconnected` / `node.reconnecting`: detached. A libp2p node holds one connection per
 *   configured orchestrator and reports each: losing one it is not attached to (its `server`
 *   is the first it reached) leaves it attached;
 * - `node.closed`, `node.register_failed`, a `node.error` of the connect phase: stopped for good;
 * - `node.stopped`: the harness ended it at the end of the run;
 * - `node.restart`: a restart_nodes step stopped it; its next `node.start` begins a new life.
 */
export type ConnectionPhase = 'connecting' | 'connected' | 'disconnected' | 'closed' | 'stopped'

export interface NodeConnection {
  transport: 'nats' | 'libp2p'
  phase: ConnectionPhase
  /** the server it is attached to; null when none */
  server: string | null
  /** stopped for good: its first connect or its registration failed, or the client gave up */
  failed: boolean
}

export const initialConnection = (): NodeConnection => ({ transport: 'nats', phase: 'connecting', server: null, failed: false })

/** Whether a libp2p node's report about `server` concerns a connection it is not attached to. */
const otherPeer = (s: NodeConnection, server: string | undefined): boolean => s.transport === 'libp2p' && server !== s.server

/** The state after `e` (one of the node's own events); `s` itself when `e` changes nothing. */
export const nextConnection = (s: NodeConnection, e: SimEvent): NodeConnection => {
  switch (e.kind) {
    case 'node.start':
      // (a restarted node starts again: whatever ended its last life does not end this one)
      return { transport: e.data?.transport === 'libp2p' ? 'libp2p' : 'nats', phase: 'connecting', server: null, failed: false }
    case 'node.restart':
      return { ...s, phase: 'stopped', server: null }
    case 'node.connected':
    case 'node.reconnected':
      // (events read back from an older events.csv may lack data: attached, server unknown)
      return { ...s, phase: 'connected', server: e.data?.server ?? null }
    case 'node.disconnected':
      if (otherPeer(s, e.data?.server)) return s
      return { ...s, phase: 'disconnected', server: null }
    case 'node.reconnecting':
      if (otherPeer(s, e.data?.server)) return s
      return s.phase === 'disconnected' ? s : { ...s, phase: 'disconnected', server: null }
    case 'node.error':
      return e.data?.phase === 'connect' ? { ...s, phase: 'closed', server: null, failed: true } : s
    case 'node.register_failed':
    case 'node.closed':
      return { ...s, phase: 'closed', server: null, failed: true }
    case 'node.stopped':
      return { ...s, phase: 'stopped', server: null }
    default:
      return s
  }
}

/** The connection after every event of `events` (one node's, in order) before position `before`. */
export const connectionAt = (events: readonly SimEvent[], before = events.length): NodeConnection => {
  let s = initialConnection()
  for (let k = 0; k < before && k < events.length; k++) s = nextConnection(s, events[k] as SimEvent)
  return s
}
