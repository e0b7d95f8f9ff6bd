import type { LinkFaultType } from './fault-type.ts'

/** At most `rate` bytes a second per direction. Slows links without breaking them. */
export const bandwidth: LinkFaultType = {
  name: 'bandwidth',
  summary: "a group's links carry at most rate (e.g. 64kB/s) per direction; heal delivers what is queued",
  acts: 'link',
  disruptive: false,
  params: ['rate'],
  check: (f) => (f.bytesPerSec === undefined ? 'a bandwidth fault needs rate (e.g. 64kB/s)' : null),
  effect: (f) => ({ lane: { mode: 'throttle', bytesPerSec: f.bytesPerSec ?? 1 }, connections: 'keep', listen: 'accept' }),
}
