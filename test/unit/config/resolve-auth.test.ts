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

t.test('whitespace-only tokens, and tokens of several lines, are refused from every source', async (t) => {
  const dir = t.testdir({ newlines: '\n\n', spaces: '   \n', two: 'line-one\nline-two\n', ok: 'fine-token\r\n' })
  const refuse = (src: Parameters<typeof resolveAuth>[0], code: 'E_USAGE' | 'E_CONFIG', pattern: RegExp) => {
    let err: unknown
    try {
      resolveAuth(src, opts)
    } catch (e) {
      err = e
    }
    t.ok(isNetsimError(err, code), `${code}: ${(err as Error | undefined)?.message}`)
    t.match((err as Error | undefined)?.message, pattern)
  }
  refuse({ flag: '   ', configs: [] }, 'E_USAGE', /^--token holds only whitespace \(3 characters\)$/)
  refuse({ flag: 'a\tb', configs: [] }, 'E_USAGE', /--token holds a line break or another control character/)
  refuse({ env: ' ', configs: [] }, 'E_USAGE', /^NETSIM_AUTH_TOKEN holds only whitespace/)
  refuse({ flagFile: join(dir, 'newlines'), configs: [] }, 'E_CONFIG', /--token-file: token file .*newlines holds only whitespace/)
  refuse({ flagFile: join(dir, 'spaces'), configs: [] }, 'E_CONFIG', /holds only whitespace/)
  refuse({ flagFile: join(dir, 'two'), configs: [] }, 'E_CONFIG', /two holds a line break/)
  refuse({ configs: [{ file: 's.yaml:4:17', authsecret: '  ' }] }, 'E_CONFIG', /^s\.yaml:4:17: node\.network\.authsecret holds only whitespace/)
  refuse({ configs: [{ file: 's.yaml:4:17', authsecret: '' }] }, 'E_CONFIG', /authsecret is empty/)
  t.equal(resolveAuth({ flagFile: join(dir, 'ok'), configs: [] }, opts).token.reveal(), 'fine-token', 'one CRLF line ending is not part of it')
  t.equal(resolveAuth({ flag: 'x', configs: [] }, opts).token.reveal(), 'x', 'short tokens are allowed (and redacted everywhere)')
})
