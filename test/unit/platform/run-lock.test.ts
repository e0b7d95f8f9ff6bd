import t from 'tap'
import { spawn } from 'node:child_process'
import { holdRunLock, lockedRunIds, runLocked } from '../../../sim/platform/run-lock.ts'
import { newRunId } from '../../../sim/platform/run-dir.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'

t.test('a held lock is seen, a released one is not', async (t) => {
  const id = newRunId()
  t.notOk(runLocked(id))
  const lock = await holdRunLock(id)
  t.ok(runLocked(id))
  t.ok(lockedRunIds().has(id))
  const twice = await holdRunLock(id).catch((e: unknown) => e)
  t.ok(isNetsimError(twice, 'E_RUN_LOCK'), 'one holder per run id')
  await lock.release()
  t.notOk(runLocked(id))
})

t.test("another process's lock is seen whatever its TMPDIR, and goes with it on kill -9", async (t) => {
  const id = newRunId()
  const url = new URL('../../../sim/platform/run-lock.ts', import.meta.url).href
  const child = spawn(
    process.execPath,
    [
      '--disable-warning=ExperimentalWarning',
      '--input-type=module',
      '-e',
      `const m = await import(${JSON.stringify(url)}); await m.holdRunLock('${id}'); console.log('held'); setInterval(() => {}, 1000)`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, TMPDIR: t.testdir() } },
  )
  t.teardown(() => child.kill('SIGKILL'))
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()))
  t.ok(runLocked(id), 'seen from here')
  child.kill('SIGKILL')
  await new Promise((resolve) => child.once('exit', resolve))
  t.notOk(runLocked(id), 'the kernel closed it with the process')
})
