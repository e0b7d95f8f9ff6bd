import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { skipWithoutNats } from '../nats-available.ts'

const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname

// Distinctive, and with characters a URL must escape, so both forms are looked for.
const TOKEN = 'Zq7-LEAK/CANARY@token:9%x'
const FORMS = [TOKEN, encodeURIComponent(TOKEN), 'LEAK/CANARY', 'LEAK%2FCANARY']

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })

/** Every place a form of the token occurs, as `where: form`. */
const leaks = (texts: [string, string][]): string[] =>
  texts.flatMap(([where, text]) => FORMS.filter((f) => text.includes(f)).map((f) => `${where}: ${f}`))

t.test('the leak detector finds a planted token (so a clean result means something)', async (t) => {
  t.same(leaks([['x', `connect nats://${encodeURIComponent(TOKEN)}@h:1`]]).length > 0, true)
  t.same(leaks([['x', 'nats://***@h:1']]), [])
})

t.test('bad-token with a distinctive token: no byte the run wrote holds it', skipWithoutNats(), async (t) => {
  const out = t.testdir()
  const r = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', cli, 'scenario', 'bad-token', '--nodes', '14', '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, NETSIM_AUTH_TOKEN: TOKEN },
    timeout: 120_000,
  })
  t.equal(r.status, 0, 'the scenario passes', { stderr: r.stderr.slice(-2000) })
  t.match(r.stderr, /auth: token from env/, 'the token was taken from NETSIM_AUTH_TOKEN')
  const files = filesUnder(out)
  t.ok(
    files.some((f) => f.endsWith('run.json')) && files.some((f) => f.endsWith('events.csv')) && files.some((f) => f.endsWith('errors.csv')),
    'the report was written',
  )
  t.ok(
    files.some((f) => f.endsWith('report.html')) && files.some((f) => f.endsWith('index.html')),
    'report.html and the reports index were written, and are searched too',
  )
  const found = leaks([['stdout', r.stdout], ['stderr', r.stderr], ...files.map((f): [string, string] => [f, readFileSync(f, 'utf8')])])
  t.same(found, [], 'the token appears nowhere')
  const runJson = readFileSync(files.find((f) => f.endsWith('run.json')) as string, 'utf8')
  t.match(runJson, /"token": "\*\*\*"/, 'run.json shows where the token was, not what it is')
  t.match(runJson, /"source": "env"/)
})
