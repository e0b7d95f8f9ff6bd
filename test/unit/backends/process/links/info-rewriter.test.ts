import t from 'tap'
import { InfoRewriter } from '../../../../../sim/backends/process/links/info-rewriter.ts'

const map = (s: string) => ({ '127.0.0.1:4001': '127.0.0.1:9001', '127.0.0.1:4002': '127.0.0.1:9002' })[s]

t.test('connect_urls in INFO lines are mapped; other lines pass', async (t) => {
  const r = new InfoRewriter(map)
  const out = r.push(Buffer.from('INFO {"server_id":"x","connect_urls":["127.0.0.1:4001","127.0.0.1:4002","10.9.9.9:1"]}\r\nPING\r\n'))
  t.equal(
    out.toString(),
    'INFO {"server_id":"x","connect_urls":["127.0.0.1:9001","127.0.0.1:9002","10.9.9.9:1"]}\r\nPING\r\n',
    'unknown addresses are left alone',
  )
})

t.test('a line split across chunks is held until complete', async (t) => {
  const r = new InfoRewriter(map)
  t.equal(r.push(Buffer.from('INFO {"connect_urls":["127.0.0.1:40')).length, 0)
  t.equal(r.push(Buffer.from('01"]}\r\n')).toString(), 'INFO {"connect_urls":["127.0.0.1:9001"]}\r\n')
})

t.test('MSG payloads are skipped by length, even when they read like INFO', async (t) => {
  const r = new InfoRewriter(map)
  const payload = 'x\r\nINFO {"connect_urls":["127.0.0.1:4001"]}'
  const msg = `MSG a.b 1 ${Buffer.byteLength(payload)}\r\n${payload}\r\n`
  t.equal(r.push(Buffer.from(msg)).toString(), msg, 'payload untouched')
  // the same, split inside the payload
  const r2 = new InfoRewriter(map)
  const a = r2.push(Buffer.from(msg.slice(0, 20)))
  const b = r2.push(Buffer.from(msg.slice(20)))
  t.equal(Buffer.concat([a, b]).toString(), msg)
  const hmsg = `HMSG a 1 12 ${12 + 4}\r\nNATS/1.0\r\n\r\nINFO\r\n`
  t.equal(new InfoRewriter(map).push(Buffer.from(hmsg)).toString(), hmsg)
})
