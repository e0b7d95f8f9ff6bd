import t from 'tap'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AtomicDir, reapPartials, writeFileAtomic } from '../../../sim/platform/atomic-dir.ts'

t.test('files appear only after commit', async (t) => {
  const root = t.testdir()
  const final = join(root, 'run-1')
  const d = new AtomicDir(final)
  t.equal(d.final, final)
  t.equal(d.partial, join(root, `.run-1.${process.pid}.partial`))
  d.write('a.csv', 'x\n')
  d.write('run.json', '{}')
  t.notOk(existsSync(final), 'nothing at the final path before commit')
  t.strictSame(readdirSync(root), [`.run-1.${process.pid}.partial`])
  t.strictSame(readdirSync(d.partial).sort(), ['.writer.json', 'a.csv', 'run.json'], 'the partial folder names its writer')
  t.equal(d.commit(), final)
  t.strictSame(readdirSync(final).sort(), ['a.csv', 'run.json'])
  t.equal(readFileSync(join(final, 'a.csv'), 'utf8'), 'x\n')
  t.strictSame(readdirSync(root), ['run-1'], 'partial folder gone')
})

t.test('abandon leaves nothing', async (t) => {
  const root = t.testdir()
  const d = new AtomicDir(join(root, 'run-2'))
  d.write('a', '1')
  d.abandon()
  t.strictSame(readdirSync(root), [])
})

t.test('commit replaces an existing folder whole', async (t) => {
  const root = t.testdir({ 'run-3': { 'old.txt': 'old', 'keep.txt': 'old' } })
  const d = new AtomicDir(join(root, 'run-3'))
  d.write('keep.txt', 'new')
  t.equal(readFileSync(join(root, 'run-3', 'keep.txt'), 'utf8'), 'old', 'old content until commit')
  d.commit()
  t.strictSame(readdirSync(join(root, 'run-3')), ['keep.txt'])
  t.equal(readFileSync(join(root, 'run-3', 'keep.txt'), 'utf8'), 'new')
})

t.test('a stale partial folder of this process is cleared', async (t) => {
  const root = t.testdir({ [`.run-4.${process.pid}.partial`]: { 'stale.txt': 'crash' } })
  const d = new AtomicDir(join(root, 'run-4'))
  t.strictSame(readdirSync(d.partial), ['.writer.json'])
  d.write('fresh.txt', 'ok')
  d.commit()
  t.strictSame(readdirSync(join(root, 'run-4')), ['fresh.txt'])
})

t.test('parent folders are created', async (t) => {
  const root = t.testdir()
  const d = new AtomicDir(join(root, 'reports', 'scn', 'run-5'))
  d.write('x', 'y')
  d.commit()
  t.equal(readFileSync(join(root, 'reports', 'scn', 'run-5', 'x'), 'utf8'), 'y')
})

t.test('writeFileAtomic', async (t) => {
  const root = t.testdir()
  const file = join(root, 'deep', 'dir', 'latest.json')
  writeFileAtomic(file, 'one')
  t.equal(readFileSync(file, 'utf8'), 'one')
  writeFileAtomic(file, 'two')
  t.equal(readFileSync(file, 'utf8'), 'two')
  t.strictSame(readdirSync(join(root, 'deep', 'dir')), ['latest.json'], 'no temp file left')
  mkdirSync(join(root, 'x'))
  writeFileSync(join(root, 'x', 'f'), 'a')
  writeFileAtomic(join(root, 'x', 'f'), 'b')
  t.equal(readFileSync(join(root, 'x', 'f'), 'utf8'), 'b')
})

t.test("reapPartials: a killed writer's partial folders and temp files go, a live one's stay", async (t) => {
  const root = t.testdir({
    scn: {
      '.dead.999999999.partial': { '.writer.json': JSON.stringify({ pid: 999_999_999, start: '1' }), 'samples.csv': 'x' },
      [`.recycled.${process.pid}.partial`]: { '.writer.json': JSON.stringify({ pid: process.pid, start: 'not-our-start' }) },
      // killed between the folder's mkdir and its record: the pid in the name decides
      '.norecord.999999999.partial': {},
      [`.norecord-live.${process.pid}.partial`]: {},
      'run-ok': { 'samples.csv': 'x' },
    },
    '.summary.csv.999999999.tmp': 'x',
  })
  const live = new AtomicDir(join(root, 'scn', 'live'))
  const mine = join(root, `.latest.json.${process.pid}.tmp`)
  writeFileSync(mine, 'x')
  const removed = reapPartials(root).sort()
  t.strictSame(
    removed,
    [
      join(root, '.summary.csv.999999999.tmp'),
      join(root, 'scn', '.dead.999999999.partial'),
      join(root, 'scn', '.norecord.999999999.partial'),
      join(root, 'scn', `.recycled.${process.pid}.partial`),
    ].sort(),
  )
  t.ok(existsSync(live.partial), 'a live writer keeps its partial folder')
  t.ok(existsSync(mine) && existsSync(join(root, 'scn', `.norecord-live.${process.pid}.partial`)) && existsSync(join(root, 'scn', 'run-ok')))
  t.strictSame(reapPartials(root), [], 'nothing twice')
  live.write('a', 'b')
  t.strictSame(readdirSync(live.commit()), ['a'], 'the writer record is not part of the report')
})
