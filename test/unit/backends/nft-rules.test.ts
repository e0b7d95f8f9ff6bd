import t from 'tap'
import { abortConnectionsArgs, addElementArgs, deleteElementArgs, RULESET, setName } from '../../../sim/backends/nft-rules.ts'
import { CUT_MODES } from '../../../sim/core/hosts.ts'

t.test('one set per cut mode, filtered both ways', async (t) => {
  for (const how of CUT_MODES) {
    t.match(RULESET, `set ${setName(how)} { type ipv4_addr; }`)
    t.match(RULESET, `ip daddr @${setName(how)}`, `${how}: outgoing, by destination`)
    t.match(RULESET, `ip saddr @${setName(how)}`, `${how}: incoming, by source`)
  }
  t.notMatch(RULESET, /set reset\b/, '`reset` alone is an nft keyword')
  t.ok(RULESET.indexOf('iif "lo" accept') < RULESET.indexOf('ip saddr'), 'resets made locally (arriving on lo) pass before any cut rule')
  t.match(RULESET, /@cut_reset tcp flags & syn == 0 reject with tcp reset/, 'reset lets the handshake through')
  t.match(RULESET, /@cut_down meta l4proto tcp reject with tcp reset/, 'down refuses SYNs too')
})

t.test('element and abort argv', async (t) => {
  t.same(addElementArgs('blackhole', '127.200.0.1'), ['add', 'element', 'inet', 'netsim', 'cut_blackhole', '{', '127.200.0.1', '}'])
  t.same(deleteElementArgs('reset', '127.200.1.0'), ['delete', 'element', 'inet', 'netsim', 'cut_reset', '{', '127.200.1.0', '}'])
  t.same(abortConnectionsArgs('127.200.0.9'), ['-K', '-t', 'dst', '127.200.0.9'])
  t.throws(() => addElementArgs('down', '127.200.0.1 } ; flush ruleset ; {'), 'only addresses reach nft')
  t.throws(() => abortConnectionsArgs('127.300.0.1'))
})
