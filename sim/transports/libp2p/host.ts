import { createHash } from 'node:crypto'
import { createLibp2p, type Libp2p } from 'libp2p'
import { tcp } from '@libp2p/tcp'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { gossipsub, type GossipSub } from '@libp2p/gossipsub'
import { generateKeyPair, generateKeyPairFromSeed } from '@libp2p/crypto/keys'

/**
 * One libp2p host as a Bacalhau node runs it in libp2p mode (docs/design.md, "libp2p mode"):
 * TCP, Noise, Yamux, Identify and gossipsub, nothing else (no mDNS, bootstrap, relay, DHT), on
 * loopback only.
 *
 * js-libp2p's defaults assume peers are spread over many IPs. A simulation puts hundreds of
 * peers on 127.0.0.1, which trips several per-IP defences (FINDINGS.md, "libp2p"); the options
 * below turn those off and say why. They only change limits, not protocol behaviour.
 */
export type Host = Libp2p<{ identify: Identify; pubsub: GossipSub }>

export interface HostOptions {
  /** listen on /ip4/127.0.0.1/tcp/0; false models a node behind NAT that can only dial out */
  listen: boolean
  /** the TCP port to listen on (default 0: any free one); a restarted orchestrator reuses its old one */
  port?: number
  /** derive the Ed25519 key (so the peer id) from this seed; random when absent */
  seed?: number
  /** a label mixed into the seed, so an orchestrator and a compute node with one seed differ */
  role?: string
}

/** Far above any simulated fleet; the point is that no limit is ever the thing measured. */
const MANY = 100_000
/** Above every timeout netsim sets itself. */
const SLOW = 60_000

/** 32 seed bytes from a number: sha256 spreads nearby seeds (1, 2, 3…) over the key space. */
export const keySeedBytes = (seed: number, role = ''): Uint8Array =>
  new Uint8Array(
    createHash('sha256')
      .update(`netsim-libp2p:${role}:${seed >>> 0}`)
      .digest(),
  )

export const createHost = async (opts: HostOptions): Promise<Host> => {
  const privateKey =
    opts.seed === undefined ? await generateKeyPair('Ed25519') : await generateKeyPairFromSeed('Ed25519', keySeedBytes(opts.seed, opts.role))
  return createLibp2p({
    privateKey,
    addresses: { listen: opts.listen ? [`/ip4/127.0.0.1/tcp/${opts.port ?? 0}`] : [] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: {
      // Defaults: 5 inbound connections per second per IP and 10 pending upgrades. All
      // simulated nodes share 127.0.0.1, so a fleet start would be refused as a flood.
      inboundConnectionThreshold: MANY,
      maxIncomingPendingConnections: MANY,
      // Default 300 (Node.js): above it libp2p prunes connections, which Bacalhau (go-libp2p
      // with its own, larger limits) would not do at these sizes.
      maxConnections: MANY,
      maxParallelDials: MANY,
      maxDialQueueLength: MANY,
      // libp2p's own bounds (10 s per dial, 6 s per address, 10 s per inbound upgrade) would cut
      // in before netsim's (timers.ts `dial_timeout`, passed as a signal); a host under a fleet
      // start is slow, and the bound that fires must be the one netsim reports.
      dialTimeout: SLOW,
      addressDialTimeout: SLOW,
      inboundUpgradeTimeout: SLOW,
    },
    // js-libp2p pings every connection every 10 s and aborts it when a ping is late. go-libp2p,
    // which Bacalhau uses, has no such monitor; under a loaded event loop it would invent
    // disconnects that the real system would not have.
    connectionMonitor: { enabled: false },
    services: {
      identify: identify(),
      pubsub: gossipsub({
        // Messages published before the first subscription exchange are dropped, as in go's
        // gossipsub, instead of throwing NoPeersSubscribedToTopic.
        allowPublishToZeroTopicPeers: true,
        // A periodic publish of the same bytes must not throw either (Seq makes them differ,
        // but a restarted node could repeat itself).
        ignoreDuplicatePublishError: true,
        // gossipsub penalises more than 10 peers on one IP and graylists them; every simulated
        // peer is on 127.0.0.1.
        scoreParams: { IPColocationFactorWeight: 0 },
      }),
    },
  })
}
