import type { LinkFaultType } from './fault-type.ts'

/** Every chunk delayed by `latency` ± `jitter`, order kept. Slows links without breaking them. */
export const latency: LinkFaultType = {
  name: 'latency',
  summary: "a group's links delay data by latency ± jitter, order kept; heal delivers what is queued",
  acts: 'link',
  disruptive: false,
  params: ['latency', 'jitter'],
  check: (f) => (f.latencyMs === undefined ? 'a latency fault needs latency (and optionally jitter)' : null),
  effect: (f) => ({ lane: { mode: 'delay', latencyMs: f.latencyMs ?? 0, jitterMs: f.jitterMs ?? 0 }, connections: 'keep', listen: 'accept' }),
}
