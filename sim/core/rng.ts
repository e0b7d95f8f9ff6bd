/**
 * The run's one source of randomness: a seeded PRNG (sfc32, seeded through splitmix32), so a
 * run's choices (which node gets which seed orchestrator, jitter, chaos schedules) can be
 * replayed from the seed recorded in run.json.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number
  /** integer in [0, n) */
  int(n: number): number
  /** a child generator with its own stream, derived deterministically */
  fork(label: string): Rng
  shuffle<T>(items: readonly T[]): T[]
}

const splitmix32 = (seed: number) => () => {
  seed = (seed + 0x9e3779b9) | 0
  let z = seed
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

const hashLabel = (label: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export const createRng = (seed: number): Rng => {
  const init = splitmix32(seed >>> 0)
  let a = init(),
    b = init(),
    c = init(),
    d = init()
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    fork: (label) => createRng((seed ^ hashLabel(label)) >>> 0),
    shuffle: (items) => {
      const out = [...items]
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1))
        ;[out[i], out[j]] = [out[j] as never, out[i] as never]
      }
      return out
    },
  }
}

/** A fresh seed for runs that were not given one (recorded, so the run can be replayed). */
export const randomSeed = (): number => (Math.random() * 2 ** 31) >>> 0
