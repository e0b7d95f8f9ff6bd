import t, { type Test } from 'tap'
import { peerIdFromString } from '@libp2p/peer-id'
import { parsePeerAddress, checkPeerIdentity } from '../../../../sim/transports/libp2p/peer-address.ts'
import { isNetsimError } from '../../../../sim/core/errors.ts'

const ID = '12D3KooWAhrzFvUipGXaUDASGYsR6CDdfXhK2yvY1Mqkfj6vEeWx'
const OTHER = '12D3KooWPyn9jzv1fB9pTqJMGrZx5omMpEqQ8M5NAFX6ja2kXeco'
const GOOD = `/ip4/127.0.0.1/tcp/1235/p2p/${ID}`

const configError = (t: Test, fn: () => unknown, address: string, pattern: RegExp, what: string) => {
  let err: unknown
  try {
    fn()
  } catch (e) {
    err = e
  }
  t.ok(isNetsimError(err, 'E_CONFIG'), `${what}: E_CONFIG`)
  const message = (err as Error | undefined)?.message ?? ''
  t.ok(message.includes('group "edge"'), `${what}: names the group`)
  t.ok(message.includes(address), `${what}: names the address`)
  t.match(message, pattern, `${what}: says what is wrong`)
}

t.test('a multiaddr with /p2p/ parses', async (t) => {
  const p = parsePeerAddress(GOOD, 'edge')
  t.equal(p.text, GOOD)
  t.equal(p.peerId.toString(), ID)
  t.equal(p.multiaddr.toString(), GOOD)
  t.equal(p.transport.toString(), '/ip4/127.0.0.1/tcp/1235')
  t.equal(parsePeerAddress(`  ${GOOD} `, 'edge').multiaddr.toString(), GOOD, 'surrounding blanks are ignored')
  t.equal(parsePeerAddress(`/dns4/orch-1/tcp/1235/p2p/${ID}`, 'edge').transport.toString(), '/dns4/orch-1/tcp/1235', 'names are fine')
  t.equal(
    parsePeerAddress('/ip4/10.0.0.1/tcp/1235/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N', 'edge').peerId.type,
    'RSA',
    'old Qm ids (RSA) parse',
  )
})

t.test('malformed multiaddrs', async (t) => {
  configError(t, () => parsePeerAddress('127.0.0.1:1235', 'edge'), '127.0.0.1:1235', /not a valid multiaddr/, 'host:port')
  configError(t, () => parsePeerAddress('/ip4/999.0.0.1/tcp/1235', 'edge'), '/ip4/999.0.0.1/tcp/1235', /not a valid multiaddr/, 'bad IPv4')
  configError(t, () => parsePeerAddress('/ip4/127.0.0.1/tcp/http', 'edge'), '/ip4/127.0.0.1/tcp/http', /not a valid multiaddr/, 'bad port')
  configError(
    t,
    () => parsePeerAddress('/ip4/127.0.0.1/tcp/1235/p2p/', 'edge'),
    '/ip4/127.0.0.1/tcp/1235/p2p/',
    /not a valid multiaddr/,
    'empty /p2p/',
  )
  configError(t, () => parsePeerAddress('', 'edge'), '""', /not a valid multiaddr|no \/p2p/, 'empty')
})

t.test('missing /p2p part', async (t) => {
  configError(t, () => parsePeerAddress('/ip4/127.0.0.1/tcp/1235', 'edge'), '/ip4/127.0.0.1/tcp/1235', /no \/p2p\/<peer id>/, 'no /p2p')
  const notLast = `/ip4/127.0.0.1/tcp/1235/p2p/${ID}/tcp/5`
  configError(t, () => parsePeerAddress(notLast, 'edge'), notLast, /no \/p2p\/<peer id> at its end/, '/p2p not last')
  configError(t, () => parsePeerAddress(`/p2p/${ID}`, 'edge'), `/p2p/${ID}`, /no address to dial/, 'only /p2p')
})

t.test('peer id that does not parse', async (t) => {
  for (const bad of ['hello0', 'xyz', '12D3KooWAhrzFvUipGXaUDASGYsR6CDdfXhK2yvY1Mqkfj6vEeW']) {
    const addr = `/ip4/127.0.0.1/tcp/1235/p2p/${bad}`
    configError(t, () => parsePeerAddress(addr, 'edge'), addr, new RegExp(`"${bad}" is not a peer id`), `peer id ${bad}`)
  }
})

t.test('identity check', async (t) => {
  const p = parsePeerAddress(GOOD, 'edge')
  t.doesNotThrow(() => checkPeerIdentity(p, peerIdFromString(ID), 'edge'), 'the expected peer')
  configError(t, () => checkPeerIdentity(p, peerIdFromString(OTHER), 'edge'), GOOD, new RegExp(`answered as peer ${OTHER}`), 'another peer')
})
