import t from 'tap'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AtomicDir, writeFileAtomic } from '../../../sim/platform/atomic-dir.ts'

t.test('files appear only after commit', async (t) => {
  const root = t.testdir()
  const final = join(root, 'run-1')
  const d = new AtomicDir(final)
  t.equal(d.final, final)
  t.equal(d.partial, join(root, '.run-1.partial'))
  d.write('a.csv', 'x\n')
  d.write('run.json', '{}')
  t.notOk(existsSync(final), 'nothing at the final path before commit')
  t.strictSame(readdirSync(root), ['.run-1.partial'])
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

t.test('a stale partial folder from a crash is cleared', async (t) => {
  const root = t.testdir({ '.run-4.partial': { 'stale.txt': 'crash' } })
  const d = new AtomicDir(join(root, 'run-4'))
  t.strictSame(readdirSync(d.partial), [])
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
