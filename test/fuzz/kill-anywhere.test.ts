import t, { type Test } from 'tap'
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { createRng } from '../../sim/core/rng.ts'
import { skipWithoutNats } from '../integration/nats-available.ts'
import { leftovers, NOTHING } from './leftovers.ts'

/**
 * kill -9 of the harness at random moments of a run (docs/development.md, "Bad input"): while it
 * starts, while its fleet starts, during its fault, while it writes its report. Each is followed
 * by `netsim reap`, after which nothing of the run may be left: no process, run directory,
 * partial report (or namespace, for the netns backend). The moments are drawn from a seed
 * printed in each test's name, so a failure can be replayed with FUZZ_SEED.
 */
const CLI = new URL('../../sim/cli/main.ts', import.meta.url).pathname
const ROOT = new URL('../..', import.meta.url).pathname
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
const rng = createRng(seed)
t.setTimeout(300_000)

type Moment = 'start' | 'fleet' | 'fault' | 'report write'
const MOMENTS: Moment[] = ['start', 'fleet', 'fault', 'report write']

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const killAt = async (t: Test, moment: Moment, delayMs: number, backend: 'process' | 'netns') => {
  const dir = t.testdir()
  const mark = randomUUID()
  const runsDir = join(dir, 'runs')
  const out = join(dir, 'reports')
  const env = { ...process.env, NETSIM_RUNS_DIR: runsDir, NETSIM_FUZZ_MARK: mark }
  const child = spawn(
    process.execPath,
    ['--disable-warning=ExperimentalWarning', CLI, 'scenario', 'failover', '--nodes', '6', '--backend', backend, '--out', out],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  t.teardown(() => child.kill('SIGKILL'))
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)))
  const runId = () => /run (\d{8}-\d{6}-[0-9a-f]{6})/.exec(stderr)?.[1]
  const until = async (cond: () => boolean, what: string, pollMs = 5) => {
    const deadline = Date.now() + 120_000
    while (!cond()) {
      if (child.exitCode !== null) throw new Error(`the run ended before ${what}:\n${stderr}`)
      if (Date.now() > deadline) throw new Error(`no ${what} in 120 s:\n${stderr}`)
      await sleep(pollMs)
    }
  }
  if (moment === 'fleet') await until(() => /orchestrators up/.test(stderr), 'orchestrators up')
  if (moment === 'fault') await until(() => /\n {2}fault: /.test(stderr), 'a fault')
  if (moment === 'report write') {
    // the report folder is written hidden, then renamed: kill while it is hidden
    const partial = () => {
      const id = runId()
      return (
        id !== undefined &&
        existsSync(join(out, 'failover')) &&
        readdirSync(join(out, 'failover')).some((f) => f.startsWith(`.${id}.`) && f.endsWith('.partial'))
      )
    }
    await until(partial, 'a report being written', 1)
  } else {
    await sleep(delayMs)
  }
  child.kill('SIGKILL')
  await exited
  const id = runId()
  const reap = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, 'reap', '--reports', out], {
    cwd: ROOT,
    env,
    encoding: 'utf8',
  })
  t.equal(reap.status, 0, `netsim reap: ${reap.stdout.trim().replace(/\n/g, '; ')}`)
  const left = leftovers({ mark, runsDir, reportsDir: out, runIds: id === undefined ? [] : [id] })
  t.strictSame(
    left,
    NOTHING,
    `killed at ${moment}${moment === 'report write' ? '' : ` + ${delayMs} ms`} (run ${id ?? 'not started yet'}): nothing left after reap`,
  )
  if (moment === 'report write')
    t.strictSame(existsSync(join(out, 'failover')) ? readdirSync(join(out, 'failover')) : [], [], 'no report, whole or half')
}

t.test(`kill -9 at random moments, then reap (seed ${seed})`, skipWithoutNats(), async (t) => {
  for (const moment of MOMENTS) {
    for (let k = 0; k < 2; k++) {
      const delay = moment === 'start' ? rng.int(1500) : rng.int(400)
      await t.test(`${moment} #${k + 1}`, (t) => killAt(t, moment, delay, 'process'))
    }
  }
})

const root = typeof process.getuid === 'function' && process.getuid() === 0
const hasIp = spawnSync('ip', ['netns', 'list']).status === 0
const netnsSkip = !root || !hasIp ? { skip: 'the netns backend needs root and ip netns' } : skipWithoutNats()
t.test(`netns backend: kill -9 during the fault, then reap (seed ${seed})`, netnsSkip, async (t) => {
  await killAt(t, 'fault', rng.int(400), 'netns')
})
