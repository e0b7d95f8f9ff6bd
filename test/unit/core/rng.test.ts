import t from 'tap'
import { createRng, randomSeed } from '../../../sim/core/rng.ts'

const take = (r: { next(): number }, n: number) => Array.from({ length: n }, () => r.next())

t.test('same seed, same sequence', async (t) => {
  const a = take(createRng(42), 20)
  const b = take(createRng(42), 20)
  t.strictSame(a, b)
  t.equal(new Set(a).size, 20, 'no repeats in 20 draws')
  for (const x of a) t.ok(x >= 0 && x < 1, `${x} in [0, 1)`)
})

t.test('known values pin the algorithm (sfc32 seeded by splitmix32)', async (t) => {
  // Replays from a recorded seed depend on this exact stream.
  t.strictSame(take(createRng(1), 3), [0.1368907024152577, 0.8611914061475545, 0.5877782991155982])
  const q = createRng(42)
  t.strictSame([q.int(1000), q.int(1000), q.int(1000)], [910, 364, 782])
  t.equal(createRng(100).fork('chaos').next(), 0.5920289969071746)
  t.strictSame(createRng(3).shuffle([1, 2, 3, 4, 5]), [1, 2, 5, 4, 3])
  // seeds are taken as uint32: -1 and 2^32 - 1 are the same seed
  t.strictSame(take(createRng(-1), 5), take(createRng(0xffffffff), 5))
})

t.test('different seeds differ', async (t) => {
  const seqs = [0, 1, 2, 42, 43, 1_000_000].map((s) => take(createRng(s), 8).join(','))
  t.equal(new Set(seqs).size, seqs.length)
})

t.test('int(n) is an integer in [0, n) and covers the range', async (t) => {
  const r = createRng(7)
  const seen = new Set<number>()
  for (let k = 0; k < 2000; k++) {
    const x = r.int(5)
    if (!Number.isInteger(x) || x < 0 || x >= 5) t.fail(`int(5) gave ${x}`)
    seen.add(x)
  }
  t.strictSame([...seen].sort(), [0, 1, 2, 3, 4])
  t.equal(createRng(3).int(1), 0)
})

t.test('int and next share one stream', async (t) => {
  const a = createRng(9)
  const b = createRng(9)
  const x = b.next()
  t.equal(a.int(1000), Math.floor(x * 1000))
  t.equal(a.next(), b.next())
})

t.test("fork is deterministic and independent of the parent's consumption", async (t) => {
  const p1 = createRng(100)
  const p2 = createRng(100)
  take(p2, 50) // the parent has moved on
  t.strictSame(take(p1.fork('chaos'), 10), take(p2.fork('chaos'), 10), 'fork depends on seed and label only')
  t.strictSame(take(p1.fork('chaos'), 10), take(p1.fork('chaos'), 10), 'forking twice gives the same stream')
})

t.test('fork does not disturb the parent', async (t) => {
  const a = createRng(5)
  const b = createRng(5)
  take(a.fork('one'), 10)
  t.strictSame(take(a, 10), take(b, 10))
})

t.test('forks differ from each other and from the parent', async (t) => {
  const r = createRng(100)
  const parent = take(createRng(100), 10).join()
  const x = take(r.fork('x'), 10).join()
  const y = take(r.fork('y'), 10).join()
  const empty = take(r.fork(''), 10).join()
  t.not(x, y)
  t.not(x, parent)
  t.not(empty, parent)
  t.not(take(createRng(101).fork('x'), 10).join(), x, 'same label, other seed')
  t.strictSame(take(r.fork('x').fork('z'), 5), take(createRng(100).fork('x').fork('z'), 5), 'nested forks are deterministic')
})

t.test('shuffle is a deterministic permutation that leaves its input alone', async (t) => {
  const items = Array.from({ length: 50 }, (_, i) => i)
  const copy = [...items]
  const s1 = createRng(8).shuffle(items)
  const s2 = createRng(8).shuffle(items)
  t.strictSame(items, copy, 'input not mutated')
  t.strictSame(s1, s2, 'same seed, same order')
  t.strictSame(
    [...s1].sort((a, b) => a - b),
    items,
    'a permutation',
  )
  t.notSame(s1, items, 'actually shuffled')
  t.notSame(createRng(9).shuffle(items), s1, 'another seed, another order')
  t.strictSame(createRng(1).shuffle([]), [])
  t.strictSame(createRng(1).shuffle(['a']), ['a'])
  const dup = createRng(2).shuffle(['a', 'a', 'b'])
  t.strictSame([...dup].sort(), ['a', 'a', 'b'])
})

t.test('shuffle consumes the stream: n - 1 draws', async (t) => {
  const a = createRng(11)
  const b = createRng(11)
  a.shuffle([1, 2, 3, 4])
  take(b, 3)
  t.equal(a.next(), b.next())
})

t.test('randomSeed is a non-negative 31-bit integer', async (t) => {
  for (let k = 0; k < 100; k++) {
    const s = randomSeed()
    if (!Number.isInteger(s) || s < 0 || s >= 2 ** 31) t.fail(`bad seed ${s}`)
  }
  t.pass()
})
