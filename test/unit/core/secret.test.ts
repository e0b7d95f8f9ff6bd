import t from 'tap'
import { inspect } from 'node:util'
import { Secret, Redactor } from '../../../sim/core/secret.ts'

t.test('a Secret never prints its value', async (t) => {
  const s = new Secret('hunter2-token')
  t.equal(`${s}`, '***')
  t.equal(JSON.stringify({ token: s }), '{"token":"***"}')
  t.equal(inspect({ token: s }), '{ token: Secret(***) }')
  t.equal(s.reveal(), 'hunter2-token')
})

t.test('the redactor removes raw and URL-encoded secrets and any nats:// userinfo', async (t) => {
  const r = new Redactor()
  r.add(new Secret('p@ss/w:rd'))
  r.add('other-secret')
  r.add('ab') // short: still redacted (the line is garbled, never leaks)
  r.add('')
  t.equal(r.redact('token p@ss/w:rd and p%40ss%2Fw%3Ard'), 'token *** and ***')
  t.equal(r.redact('nats://anything@127.0.0.1:4222, nats-route://u:p@h:6222'), 'nats://***@127.0.0.1:4222, nats-route://***@h:6222')
  t.equal(r.redact('other-secret, ab'), '***, ***')
  t.equal(r.redact('tab'), 't***', 'wherever it appears')
})
