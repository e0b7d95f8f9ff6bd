import t, { type Test } from 'tap'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ensureWritableDir, makeDirs } from '../../../sim/platform/make-dirs.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'

const usage = (t: Test, fn: () => unknown, pattern: RegExp) => {
  let err: unknown
  const started = Date.now()
  try {
    fn()
  } catch (e) {
    err = e
  }
  t.ok(isNetsimError(err, 'E_USAGE'), `E_USAGE: ${(err as Error | undefined)?.message}`)
  t.match((err as Error | undefined)?.message, pattern)
  t.ok(Date.now() - started < 1000, 'at once')
}

t.test('makeDirs: creates what is missing, one level at a time', async (t) => {
  const root = t.testdir()
  t.strictSame(makeDirs(join(root, 'a', 'b')), [join(root, 'a'), join(root, 'a', 'b')])
  t.ok(statSync(join(root, 'a', 'b')).isDirectory())
  t.strictSame(makeDirs(join(root, 'a', 'b')), [], 'nothing when it exists')
  t.equal(statSync(makeDirs(join(root, 'p'), 0o700)[0] as string).mode & 0o777, 0o700, 'mode')
})

t.test('ensureWritableDir: a usable folder, or E_USAGE naming the flag, at once', async (t) => {
  const root = t.testdir({ afile: 'x' })
  t.equal(ensureWritableDir(join(root, 'new', 'reports'), '--out'), join(root, 'new', 'reports'))
  t.ok(existsSync(join(root, 'new', 'reports')))
  usage(t, () => ensureWritableDir(join(root, 'afile'), '--out'), /^--out .*afile: is a file, not a folder; give a folder you can write to$/)
  usage(t, () => ensureWritableDir(join(root, 'afile', 'below'), '--out'), /afile is a file, not a folder/)
  // Node's recursive mkdir never returns under /proc: this must fail at once
  usage(t, () => ensureWritableDir('/proc/netsim-x/reports', '--out'), /^--out \/proc\/netsim-x\/reports: cannot create it \(ENOENT\)/)
  usage(t, () => ensureWritableDir('/sys/netsim-x', '--out'), /cannot create it \((EPERM|EACCES|ENOENT)\)/)
})
