/**
 * How far libp2p mode goes in one process (a measurement, not a test): 1 orchestrator and N
 * compute nodes, all in this process, as a worker would hold them.
 *
 *   node --expose-gc sim/transports/libp2p/bench-libp2p.ts [N=100] [--scale 0.1] [--dialable] [--no-subscribe]
 *
 * Prints the time until every node is connected, the time until the orchestrator has seen every
 * node through gossip (its first `orch.node_state` CONNECTED), and resident memory per node.
 * Nodes start all at once, the worst case for the orchestrator's handshakes. The first node
 * info leaves `info_eager_interval` (5 s × scale) after a node starts, so the gossip time has
 * that floor; it is printed too.
 */
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import type { RawEvent } from '../../core/events.ts'
import { Libp2pOrchestrator } from './libp2p-orchestrator.ts'
import { Libp2pComputeNode } from './libp2p-compute-node.ts'
import { resolveLibp2pTimers } from '../../model/libp2p-timers.ts'

const args = parseArgs({
  allowPositionals: true,
  options: {
    scale: { type: 'string', default: '0.1' },
    dialable: { type: 'boolean', default: false },
    'no-subscribe': { type: 'boolean', default: false },
  },
})
const n = Number(args.positionals[0] ?? 100)
const scale = Number(args.values.scale)
const dialable = args.values.dialable
const subscribe = !args.values['no-subscribe']
const timers = resolveLibp2pTimers(scale)

const gc = (globalThis as { gc?: () => void }).gc
const rssMb = (): number => {
  gc?.()
  return process.memoryUsage().rss / 2 ** 20
}
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}
const ms = (x: number): string => `${x.toFixed(0)} ms`

const events: RawEvent[] = []
let seen = 0
let allSeen: () => void = () => {}
const seenAll = new Promise<void>((resolve) => (allSeen = resolve))
const emit = (e: RawEvent): void => {
  events.push(e)
  if (e.kind === 'orch.node_state' && e.data.state === 'CONNECTED' && ++seen === n) allSeen()
}

const orch = new Libp2pOrchestrator({ name: 'o1', timers, seed: 1 }, emit)
await orch.start()
const rss0 = rssMb()
const cpu0 = process.cpuUsage()

const nodes = Array.from(
  { length: n },
  (_, i) =>
    new Libp2pComputeNode(
      { transport: 'libp2p', id: `n-${i}`, group: 'bench', peers: [orch.multiaddr], dialable, subscribe, timers, seed: 1000 + i },
      emit,
    ),
)
const t0 = performance.now()
const started = await Promise.all(nodes.map((node) => node.start()))
const tConnected = performance.now() - t0
const failed = started.filter((s) => !s).length
// Nodes that failed to start are never seen: wait for the others only.
seen += failed
if (seen >= n) allSeen()
const timeout = setTimeout(() => allSeen(), 60_000 + timers.info_eager_duration * 2)
await seenAll
clearTimeout(timeout)
const tSeen = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
const rss1 = rssMb()

// Per node: node.start → node.connected, and node.start → the orchestrator's CONNECTED.
const at = (kind: RawEvent['kind'], pred: (e: RawEvent) => boolean = () => true) => {
  const m = new Map<string, number>()
  for (const e of events) if (e.kind === kind && e.node !== undefined && pred(e) && !m.has(e.node)) m.set(e.node, e.at)
  return m
}
const starts = at('node.start')
const connects = at('node.connected')
const visible = at('orch.node_state', (e) => e.kind === 'orch.node_state' && e.data.state === 'CONNECTED')
const connectMs = [...connects].map(([id, t]) => t - (starts.get(id) as number))
const visibleMs = [...visible].map(([id, t]) => t - (starts.get(id) as number))
// Which Seq made each node visible: >1 means its first publish(es) went nowhere.
const firstSeq = new Map<string, number>()
for (const e of events) if (e.kind === 'orch.heartbeat' && e.node !== undefined && !firstSeq.has(e.node)) firstSeq.set(e.node, e.data.seq)
const lostFirst = [...firstSeq.values()].filter((s) => s > 1).length
const unheard = nodes.reduce((sum, node) => sum + node.unheard, 0)
const published = nodes.reduce((sum, node) => sum + node.published, 0)

const errors = new Map<string, number>()
for (const e of events) if (e.kind === 'node.error') errors.set(e.data.code, (errors.get(e.data.code) ?? 0) + 1)

console.log(
  `libp2p bench: ${n} compute nodes (${dialable ? 'dialable' : 'not dialable'}, ${subscribe ? 'subscribed to node info' : 'publish only'}), 1 orchestrator, one process, node ${process.version}, time scale ${scale} (first info after ${timers.info_eager_interval} ms)`,
)
console.log(
  `  all connected:        ${ms(tConnected)}  (${n - failed}/${n} started; per node p50 ${ms(pct(connectMs, 50))}, p90 ${ms(pct(connectMs, 90))}, max ${ms(pct(connectMs, 100))})`,
)
console.log(
  `  all seen via gossip:  ${ms(tSeen)}  (${visible.size}/${n}; per node p50 ${ms(pct(visibleMs, 50))}, p90 ${ms(pct(visibleMs, 90))}, max ${ms(pct(visibleMs, 100))}; ${lostFirst} nodes' first info was lost; ${unheard}/${published} publishes reached no peer)`,
)
console.log(
  `  RSS: ${rss0.toFixed(1)} MB → ${rss1.toFixed(1)} MB, ${((1024 * (rss1 - rss0)) / n).toFixed(0)} KB per node${gc ? '' : ' (no --expose-gc: noisier)'}`,
)
if (errors.size > 0) console.log(`  node errors: ${[...errors].map(([c, k]) => `${c} ×${k}`).join(', ')}`)
console.log(`  CPU: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms user+system over the measured window`)

await Promise.all(nodes.map((node) => node.stop()))
await orch.stop()
