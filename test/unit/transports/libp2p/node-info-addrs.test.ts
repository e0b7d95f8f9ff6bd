import t from 'tap'
import { decodeNodeInfo, encodeNodeInfo } from '../../../../sim/transports/libp2p/protocol.ts'
import { NodeInfoStore } from '../../../../sim/transports/libp2p/node-info-store.ts'

t.test("node info carries the sender's listen addresses; the store keeps the latest", async (t) => {
  const a = '/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAhrzFvUipGXaUDASGYsR6CDdfXhK2yvY1Mqkfj6vEeWx'
  t.strictSame(decodeNodeInfo(encodeNodeInfo({ NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [a] })), { NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [a] })
  t.strictSame(
    decodeNodeInfo(encodeNodeInfo({ NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [] })),
    { NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [] },
    'behind NAT: none',
  )
  t.strictSame(
    decodeNodeInfo(new TextEncoder().encode(JSON.stringify({ NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [a, 5, null] }))),
    { NodeID: 'n', PeerID: 'p', Seq: 1, Addrs: [a] },
    'gossip is untrusted: non-strings dropped',
  )
  const s = new NodeInfoStore(1_000)
  s.add('n', 'p', 1, 0, [a])
  t.strictSame(s.get('n')?.addrs, [a])
  s.add('n', 'p', 2, 10)
  t.strictSame(s.get('n')?.addrs, [], 'the latest info decides')
})
