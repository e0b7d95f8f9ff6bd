import type { CutMode } from '../core/hosts.ts'

/**
 * The nftables rules that cut links (pure: text and argv only). Every host's namespace gets
 * one table with a set of peer addresses per cut mode; a cut adds the peer's address to a set,
 * a heal removes it, so cutting and healing are one element change each and the rules never
 * change. Both directions are filtered in the cutting host's namespace (output by
 * destination, input by source), so the far end needs no rules.
 *
 * - blackhole: drop, both ways (silent).
 * - reset: TCP segments other than SYN / SYN-ACK get `reject with tcp reset`, both ways: the
 *   handshake completes, the first data or ACK resets the connection, as the link proxy does.
 * - down: every TCP segment, SYN included, gets `reject with tcp reset`: a connect is refused.
 *   Other protocols get an ICMP port-unreachable in reset and down.
 *
 * A reset generated for an outgoing segment reaches the local socket through `lo`: input
 * accepts whatever arrives on `lo` first, or the rule would drop the reset it just made
 * (its source is the cut peer's address).
 *
 * The rules also hold for the reset a socket sends when it is aborted (`ss -K`): the cut
 * code aborts open connections *before* adding the address, so the far end receives that RST.
 */
export const TABLE = 'netsim'
export const setName = (how: CutMode): string => `cut_${how}` // `reset` alone is an nft keyword

export const RULESET = `table inet ${TABLE} {
  set ${setName('blackhole')} { type ipv4_addr; }
  set ${setName('reset')} { type ipv4_addr; }
  set ${setName('down')} { type ipv4_addr; }
  chain out {
    type filter hook output priority 0; policy accept;
    ip daddr @${setName('blackhole')} drop
    ip daddr @${setName('reset')} tcp flags & syn == 0 reject with tcp reset
    ip daddr @${setName('reset')} meta l4proto != tcp reject
    ip daddr @${setName('down')} meta l4proto tcp reject with tcp reset
    ip daddr @${setName('down')} reject
  }
  chain in {
    type filter hook input priority 0; policy accept;
    iif "lo" accept
    ip saddr @${setName('blackhole')} drop
    ip saddr @${setName('reset')} tcp flags & syn == 0 reject with tcp reset
    ip saddr @${setName('reset')} meta l4proto != tcp reject
    ip saddr @${setName('down')} meta l4proto tcp reject with tcp reset
    ip saddr @${setName('down')} reject
  }
}
`

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/
const assertIpv4 = (a: string): void => {
  const m = IPV4.exec(a)
  if (!m || m.slice(1).some((x) => Number(x) > 255)) throw new Error(`not an IPv4 address: ${a}`)
}

/** nft's argv (after the binary) that adds `address` to the set of `how`. */
export const addElementArgs = (how: CutMode, address: string): string[] => {
  assertIpv4(address)
  return ['add', 'element', 'inet', TABLE, setName(how), '{', address, '}']
}

export const deleteElementArgs = (how: CutMode, address: string): string[] => {
  assertIpv4(address)
  return ['delete', 'element', 'inet', TABLE, setName(how), '{', address, '}']
}

/** ss's argv that aborts every TCP connection to `address` (both ends get an RST). */
export const abortConnectionsArgs = (address: string): string[] => {
  assertIpv4(address)
  return ['-K', '-t', 'dst', address]
}
