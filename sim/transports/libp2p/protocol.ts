import { COMPUTE_PROTOCOLS } from '../../jobs/job-protocol.ts'
/**
 * Names and messages of Bacalhau's libp2p mode that both ends share (docs/design.md): the
 * gossipsub topic for node info and the stream protocol ids. Payloads are reduced to what the
 * simulation needs.
 */
export const NODE_INFO_TOPIC = 'bacalhau-node-info'
/** The dispatcher's AskForBid over libp2p (the job protocol's stream id). */
export const ASK_FOR_BID_PROTOCOL = COMPUTE_PROTOCOLS.AskForBid

/**
 * Gossiped on NODE_INFO_TOPIC. `Seq` counts the sender's publishes, starting at 1. `Addrs` are
 * the sender's listen multiaddrs (Bacalhau's NodeInfo carries its PeerInfo, and the requester
 * dials a node it holds no connection to at the addresses its node info gave): absent or empty
 * for a node behind NAT.
 */
export interface NodeInfoMessage {
  NodeID: string
  PeerID: string
  Seq: number
  Addrs?: string[]
}

export interface AskForBidReply {
  Accepted: boolean
  NodeID: string
}

const decoder = new TextDecoder()
const encoder = new TextEncoder()

export const encodeNodeInfo = (m: NodeInfoMessage): Uint8Array => encoder.encode(JSON.stringify(m))

/** null for anything that is not a well-formed node info: gossip is untrusted input. */
export const decodeNodeInfo = (data: Uint8Array): NodeInfoMessage | null => {
  try {
    const m = JSON.parse(decoder.decode(data)) as Partial<NodeInfoMessage>
    if (typeof m.NodeID !== 'string' || typeof m.PeerID !== 'string' || typeof m.Seq !== 'number') return null
    const out: NodeInfoMessage = { NodeID: m.NodeID, PeerID: m.PeerID, Seq: m.Seq }
    if (Array.isArray(m.Addrs)) out.Addrs = m.Addrs.filter((a): a is string => typeof a === 'string')
    return out
  } catch {
    return null
  }
}
