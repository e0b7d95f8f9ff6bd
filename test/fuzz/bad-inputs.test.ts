import t from 'tap'
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { BAD_INPUTS, type BadInput } from './bad-inputs.ts'
import { leftovers, NOTHING } from './leftovers.ts'

/**
 * The fuzz tier's bad inputs (the table is in bad-inputs.ts and docs/development.md): each must
 * exit 64 or 65 within a few seconds, with a message naming the input, leaving nothing. Two at
 * a time: each is a Node start of a second or so.
 */
const CLI = new URL('../../sim/cli/main.ts', import.meta.url).pathname
const ROOT = new URL('../..', import.meta.url).pathname
const LIMIT_MS = 10_000 // "a few seconds": ~1 s on a quiet machine; under a parallel test suite a Node start can take several
t.setTimeout(300_000)

const runCase = async (c: BadInput, dir: string) => {
  const files = Object.entries(c.files ?? {})
  for (const [f, text] of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  const sub = (s: string) => s.replaceAll('$D', dir)
  const mark = `NETSIM_FUZZ_MARK=${randomUUID()}`
  const runsDir = join(dir, 'runs')
  const reportsDir = join(dir, 'reports')
  const env: NodeJS.ProcessEnv = { ...process.env, NETSIM_RUNS_DIR: runsDir, NETSIM_FUZZ_MARK: mark.split('=')[1] }
  delete env.NETSIM_AUTH_TOKEN
  for (const [k, v] of Object.entries(c.env ?? {})) env[k] = sub(v)
  // reports go to the case's folder unless the case sets --out itself
  const args = c.args.map(sub)
  const withOut = args[0] === 'scenario' && !args.includes('--out') ? [...args, '--out', reportsDir] : args
  const started = Date.now()
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...withOut], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout.resume()
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
  clearTimeout(killer)
  return { code, stderr, ms: Date.now() - started, left: leftovers({ mark, runsDir, reportsDir }) }
}

t.test('the table in docs/development.md lists every case', async (t) => {
  const docs = readFileSync(new URL('../../docs/development.md', import.meta.url), 'utf8')
  for (const c of BAD_INPUTS) t.ok(docs.includes(`| ${c.name.replace(/\|/g, '\\|')} | ${c.kind} |`), c.name)
})

t.test(`${BAD_INPUTS.length} bad inputs: refused at once, named, nothing left`, async (t) => {
  t.ok(BAD_INPUTS.length >= 40, `${BAD_INPUTS.length} cases`)
  const queue = [...BAD_INPUTS]
  const work = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) {
      const r = await runCase(c, join(t.testdirName, c.name.replace(/[^a-z0-9]+/gi, '-')))
      const line = r.stderr.trim().split('\n').at(-1) ?? ''
      t.equal(r.code, c.exit, `${c.kind}: ${c.name}: exit ${c.exit} (${line})`)
      t.match(r.stderr, c.message, `${c.name}: the message names the input`)
      t.notMatch(r.stderr, /^\s+at .*\(.*:\d+:\d+\)$/m, `${c.name}: no stack trace`)
      t.ok(r.ms < LIMIT_MS, `${c.name}: refused in ${r.ms} ms`)
      t.strictSame(r.left, NOTHING, `${c.name}: nothing left`)
    }
  }
  mkdirSync(t.testdirName, { recursive: true })
  await Promise.all([work(), work()])
})
