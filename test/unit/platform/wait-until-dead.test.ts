import t from 'tap'
import { spawn } from 'node:child_process'
import { waitUntilDead } from '../../../sim/platform/run-dir.ts'

t.test('waitUntilDead: true once a killed process is gone (or a zombie), false while one lives', async (t) => {
  const child = spawn('sleep', ['30'], { stdio: 'ignore' })
  const pid = child.pid as number
  t.teardown(() => child.kill('SIGKILL'))
  t.equal(await waitUntilDead([pid], 50), false, 'a live process: false after the wait')
  process.kill(pid, 'SIGKILL')
  t.equal(await waitUntilDead([pid], 2000), true, 'killed: dead within the wait (a zombie until reaped counts as dead)')
  t.equal(await waitUntilDead([], 0), true, 'nothing to wait for')
})
