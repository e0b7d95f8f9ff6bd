import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { resolveAuth, generateToken } from '../../../sim/config/resolve-auth.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'

const opts = { mode: 'token' as const, style: 'plain' as const, routeAuth: false }

t.test('precedence: flag, flag file, env, scenario config, harness config, random', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'tok')
  writeFileSync(file, 'from-file\n')
  const configs = [
    { file: 's.yaml', authsecret: 'from-scenario' },
    { file: 'h.yaml', authsecret: 'from-harness' },
  ]
  const pick = (src: Parameters<typeof resolveAuth>[0]) => {
    const a = resolveAuth(src, opts)
    return [a.source, a.token.reveal()]
  }
  t.same(pick({ flag: 'from-flag', flagFile: file, env: 'from-env', configs }), ['flag', 'from-flag'])
  t.same(pick({ flagFile: file, env: 'from-env', configs }), ['file', 'from-file'], 'a trailing newline is not part of the token')
  t.same(pick({ env: 'from-env', configs }), ['env', 'from-env'])
  t.same(pick({ configs }), ['config', 'from-scenario'])
  t.same(pick({ configs: configs.slice(1) }), ['config', 'from-harness'])
  t.same(pick({ configs: [{ file: 'h.yaml', authsecret_file: file }] }), ['config', 'from-file'])
  const random = resolveAuth({ configs: [] }, opts)
  t.equal(random.source, 'random')
  t.not(random.token.reveal(), resolveAuth({ configs: [] }, opts).token.reveal(), 'a fresh token each run')
})

t.test('bad sources are errors that name the source, never the value', async (t) => {
  const empty = (() => {
    try {
      resolveAuth({ flag: '', configs: [] }, opts)
    } catch (e) {
      return e
    }
  })()
  t.ok(isNetsimError(empty, 'E_USAGE'))
  t.match((empty as Error).message, /--token: expected a non-empty token/)
  const envEmpty = (() => {
    try {
      resolveAuth({ env: '', configs: [] }, opts)
    } catch (e) {
      return e
    }
  })()
  t.match((envEmpty as Error).message, /NETSIM_AUTH_TOKEN is set but empty/)
  const missing = (() => {
    try {
      resolveAuth({ configs: [{ file: 'scenarios/x.yaml:3:5', authsecret_file: '/nonexistent/tok' }] }, opts)
    } catch (e) {
      return e
    }
  })()
  t.ok(isNetsimError(missing, 'E_CONFIG'))
  t.match((missing as Error).message, /scenarios\/x\.yaml:3:5: node\.network\.authsecret_file: cannot read token file \/nonexistent\/tok: ENOENT/)
})

t.test('url-special tokens hold characters a URL must escape', async (t) => {
  const tok = generateToken('url-special')
  t.match(tok, /[@:/%+ ]/)
  t.not(encodeURIComponent(tok), tok)
  t.match(generateToken('plain'), /^[A-Za-z0-9_-]{24}$/)
})
