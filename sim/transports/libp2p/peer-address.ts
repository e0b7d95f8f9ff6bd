import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import { NetsimError } from '../../core/errors.ts'

/**
 * A `--peer` value of Bacalhau's libp2p mode: a multiaddr ending in `/p2p/<peer id>`, e.g.
 * `/ip4/127.0.0.1/tcp/1235/p2p/12D3KooW…`. Bacalhau reads it with `peer.AddrInfoFromP2pAddr`,
 * which needs the peer id: Noise checks it during the handshake, so a node can only dial a peer
 * whose identity it already knows.
 *
 * Errors are E_CONFIG and name the group and the address, so a scenario with hundreds of nodes
 * says which entry is wrong.
 */
export interface PeerAddress {
  /** the value as given */
  text: string
  /** the whole multiaddr, /p2p/ included (what libp2p dials) */
  multiaddr: Multiaddr
  /** the transport part, without /p2p/ */
  transport: Multiaddr
  peerId: PeerId
}

const P2P = 'p2p'
const EXAMPLE = '/ip4/127.0.0.1/tcp/1235/p2p/12D3KooW…'

const where = (group: string, text: string): string => `group "${group}": --peer "${text}"`

export const parsePeerAddress = (text: string, group: string): PeerAddress => {
  let ma: Multiaddr
  try {
    ma = multiaddr(text.trim())
  } catch (cause) {
    throw new NetsimError('E_CONFIG', `${where(group, text)} is not a valid multiaddr: ${(cause as Error).message} (expected e.g. ${EXAMPLE})`, {
      cause,
    })
  }
  const components = ma.getComponents()
  const last = components.at(-1)
  // The peer id must be the last component, as go-libp2p's AddrInfoFromP2pAddr requires.
  if (last?.name !== P2P || last.value === undefined) {
    throw new NetsimError(
      'E_CONFIG',
      `${where(group, text)} has no /p2p/<peer id> at its end: a libp2p peer can only be dialled by identity (expected e.g. ${EXAMPLE})`,
    )
  }
  if (components.length < 2) {
    throw new NetsimError('E_CONFIG', `${where(group, text)} has a peer id but no address to dial (expected e.g. ${EXAMPLE})`)
  }
  let peerId: PeerId
  try {
    // multiaddr accepts any text after /p2p/; the peer id is only decoded here.
    peerId = peerIdFromString(last.value)
  } catch (cause) {
    throw new NetsimError('E_CONFIG', `${where(group, text)}: "${last.value}" is not a peer id (${(cause as Error).message})`, { cause })
  }
  return { text, multiaddr: ma, transport: multiaddr(components.slice(0, -1)), peerId }
}

/**
 * The dialled peer must be the one the address named. libp2p already refuses a mismatch during
 * the Noise handshake (an EncryptionFailedError); this check makes the rule explicit at our
 * boundary, so a reused or unexpected connection cannot slip through either.
 */
export const checkPeerIdentity = (expected: PeerAddress, actual: PeerId, group: string): void => {
  if (!actual.equals(expected.peerId)) {
    throw new NetsimError(
      'E_CONFIG',
      `${where(group, expected.text)} answered as peer ${actual.toString()}, not ${expected.peerId.toString()}: the address belongs to another node`,
    )
  }
}
