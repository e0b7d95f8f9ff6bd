import t from 'tap'
import { NetsimError } from '../../../sim/core/errors.ts'
import { DEFAULT_NATS_PORT, parseOrchestrator, parseOrchestratorList, redactUrl } from '../../../sim/model/orchestrator-list.ts'

/** the type of a (sub)test's `t` */
type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

/** Asserts an E_ORCHESTRATOR_LIST error whose message matches `re` and does not contain `secret`. */
const refuses = (t: TapTest, input: string, re: RegExp, secret?: string) => {
  try {
    parseOrchestratorList(input)
    t.fail(`${input}: expected an error`)
    return
  } catch (e) {
    t.ok(e instanceof NetsimError, `${input}: a NetsimError`)
    t.equal((e as NetsimError).code, 'E_ORCHESTRATOR_LIST', `${input}: code`)
    t.match((e as Error).message, re, `${input}: message`)
    if (secret !== undefined) t.notOk((e as Error).message.includes(secret), `${input}: message does not contain the token (${(e as Error).message})`)
  }
}

t.test('single entries', async (t) => {
  t.equal(DEFAULT_NATS_PORT, 4222)
  t.strictSame(parseOrchestrator('orch1'), { host: 'orch1', port: 4222, hostport: 'orch1:4222' })
  t.strictSame(parseOrchestrator('10.0.0.5:4333'), { host: '10.0.0.5', port: 4333, hostport: '10.0.0.5:4333' })
  t.strictSame(parseOrchestrator('nats://orch.example.com:4222'), { host: 'orch.example.com', port: 4222, hostport: 'orch.example.com:4222' })
  t.strictSame(parseOrchestrator('nats://orch'), { host: 'orch', port: 4222, hostport: 'orch:4222' })
  t.strictSame(parseOrchestrator('NATS://orch:1'), { host: 'orch', port: 1, hostport: 'orch:1' }, 'scheme is case-insensitive')
  t.strictSame(parseOrchestrator('nats://orch:4222/'), { host: 'orch', port: 4222, hostport: 'orch:4222' }, 'one trailing slash is allowed')
  t.strictSame(parseOrchestrator('  h:65535  '), { host: 'h', port: 65535, hostport: 'h:65535' }, 'trimmed; top port')
})

t.test('tokens', async (t) => {
  t.strictSame(parseOrchestrator('nats://s3cret@h:4333'), { host: 'h', port: 4333, token: 's3cret', hostport: 'h:4333' })
  t.strictSame(parseOrchestrator('nats://p%40ss%2Fw0rd@h:1'), { host: 'h', port: 1, token: 'p@ss/w0rd', hostport: 'h:1' }, 'percent-decoded')
  t.strictSame(parseOrchestrator('nats://tok@h'), { host: 'h', port: 4222, token: 'tok', hostport: 'h:4222' })
  t.equal(parseOrchestrator('nats://a@b@h:1').token, 'a@b', 'the last @ separates the host')
  t.equal(parseOrchestrator('nats://user:pass@h:1').token, 'user:pass', 'user:password is taken whole as the token')
  t.equal(parseOrchestrator('nats://h:1').token, undefined)
  t.notOk('token' in parseOrchestrator('nats://h:1'), 'no token key when there is none')
})

t.test('IPv6', async (t) => {
  t.strictSame(parseOrchestrator('[::1]:4222'), { host: '::1', port: 4222, hostport: '[::1]:4222' })
  t.strictSame(parseOrchestrator('[fe80::2]'), { host: 'fe80::2', port: 4222, hostport: '[fe80::2]:4222' })
  t.strictSame(parseOrchestrator('nats://tok@[::1]:5000'), { host: '::1', port: 5000, token: 'tok', hostport: '[::1]:5000' })
})

t.test('lists', async (t) => {
  t.strictSame(parseOrchestratorList('a, b:5000 , nats://t@c:6000'), [
    { host: 'a', port: 4222, hostport: 'a:4222' },
    { host: 'b', port: 5000, hostport: 'b:5000' },
    { host: 'c', port: 6000, token: 't', hostport: 'c:6000' },
  ])
  t.strictSame(
    parseOrchestratorList(',a,, ,b,'),
    [
      { host: 'a', port: 4222, hostport: 'a:4222' },
      { host: 'b', port: 4222, hostport: 'b:4222' },
    ],
    'empty entries skipped',
  )
  refuses(t, '', /the orchestrator list is empty/)
  refuses(t, ' , ,', /the orchestrator list is empty/)
})

t.test('errors', async (t) => {
  refuses(t, 'h:abc', /cannot read orchestrator "h:abc": port "abc" is not a number/)
  refuses(t, 'h:', /port "" is not a number/)
  refuses(t, 'h:0', /port 0 is outside 1\.\.65535/)
  refuses(t, 'h:65536', /port 65536 is outside 1\.\.65535/)
  refuses(t, 'nats://h:-1', /port "-1" is not a number/)
  refuses(t, 'nats://@h:1', /empty token before "@"/)
  refuses(t, 'tok@h:1', /a token is only read from a nats:\/\/ URL/)
  refuses(t, 'tls://h:1', /scheme "tls" is not nats:\/\//)
  refuses(t, 'http://h:1', /scheme "http" is not nats:\/\//)
  refuses(t, 'nats://h:1/path', /a path is not allowed/)
  refuses(t, 'nats://h:1//', /a path is not allowed/)
  refuses(t, ':4222', /missing host/)
  refuses(t, '[::1', /unclosed "\["/)
  refuses(t, '[::1]x', /unexpected "x" after the address/)
  refuses(t, 'ho st:1', /host "ho st" has characters/)
  refuses(t, 'nats://%zz@h:1', /not valid percent-encoding/, '%zz')
  refuses(t, 'good:1, bad:x', /"bad:x"/, undefined)
})

t.test('error messages never contain the token', async (t) => {
  refuses(t, 'nats://s3cret@h:99999', /cannot read orchestrator "nats:\/\/\*\*\*@h:99999": port 99999 is outside/, 's3cret')
  refuses(t, 'nats://s3cret@h:abc', /"nats:\/\/\*\*\*@h:abc"/, 's3cret')
  refuses(t, 'nats://s3cret@h:1/x', /a path is not allowed/, 's3cret')
  refuses(t, 'nats://s3cret@:1', /missing host/, 's3cret')
  refuses(t, 'nats://p%40ss%2Fw0rd@h:0', /\*\*\*@h:0/, 'p%40ss')
  refuses(t, 'a:1, nats://s3cret@b:x', /\*\*\*@b:x/, 's3cret')
})

t.test('BUG: tokens leak into error messages when redactUrl does not recognise them', async (t) => {
  // redactUrl only rewrites `nats://<no @ / , or space>@`, but parseOrchestrator accepts more.
  t.test('token without a scheme is refused and not echoed', async (t) => {
    refuses(t, 's3cret@h:1', /a token is only read from a nats:\/\/ URL/, 's3cret')
  })
  t.test('token in a URL of another scheme is refused and not echoed', async (t) => {
    refuses(t, 'tls://s3cret@h:1', /scheme "tls" is not nats:\/\//, 's3cret')
  })
  t.test('token holding "/" is hidden whole', async (t) => {
    t.equal(parseOrchestrator('nats://pa/ss@h:1').token, 'pa/ss')
    refuses(t, 'nats://pa/ss@h:x', /port "x"/, 'pa/ss')
  })
  t.test('token holding "@" is hidden whole', async (t) => {
    t.equal(parseOrchestrator('nats://pa@ss@h:1').token, 'pa@ss')
    refuses(t, 'nats://pa@ss@h:x', /port "x"/, 'ss@h')
  })
})

t.test('redactUrl', async (t) => {
  t.equal(redactUrl('nats://secret@host:4222'), 'nats://***@host:4222')
  t.equal(redactUrl('NATS://secret@host:4222'), 'NATS://***@host:4222')
  t.equal(redactUrl('nats://host:4222'), 'nats://host:4222')
  t.equal(redactUrl('host:4222'), 'host:4222')
  t.equal(redactUrl('a nats://x@h:1, nats://y@g:2 b'), 'a nats://***@h:1, nats://***@g:2 b', 'every URL in a text')
  t.equal(redactUrl('nats://p%40ss@h:1'), 'nats://***@h:1')
})
