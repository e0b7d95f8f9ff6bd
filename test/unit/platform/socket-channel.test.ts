import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { encodeFrame, FrameDecoder, reachableSocketPath } from '../../../sim/platform/socket-frames.ts'
import { SocketChannel } from '../../../sim/platform/socket-channel.ts'

t.test('frames: structured clones, split and joined anywhere', async (t) => {
  const msgs = [{ type: 'events', events: [{ t: 1.5, data: { m: new Map([['a', 1]]) } }] }, { type: 'ready', n: 2 }, 'x'.repeat(70_000)]
  const bytes = Buffer.concat(msgs.map(encodeFrame))
  const d = new FrameDecoder()
  const out: unknown[] = []
  for (let i = 0; i < bytes.length; i += 7) out.push(...d.push(bytes.subarray(i, i + 7)))
  t.same(out, msgs, 'a Map survives, as over advanced IPC')
})

t.test('a socket path past sun_path (107 bytes) is reached through its directory descriptor', async (t) => {
  const dir = join(t.testdir(), 'd'.repeat(120))
  mkdirSync(dir)
  const p = reachableSocketPath(join(dir, 'a.sock'))
  t.match(p, /^\/proc\/self\/fd\/\d+\/a\.sock$/)
  t.equal(reachableSocketPath('/tmp/short.sock'), '/tmp/short.sock')
})

/** An agent with NETSIM_CHANNEL and no IPC, as in a container: parent-channel.ts makes the socket its process.send. */
const AGENT = `
import ${JSON.stringify(new URL('../../../sim/platform/parent-channel.ts', import.meta.url).href)}
process.send({ type: 'hello', connected: process.connected })
process.on('message', (m) => {
  if (m.type === 'echo') process.send({ type: 'echoed', value: m.value })
})
process.on('disconnect', () => process.exit(7))
`

t.test('an agent without IPC talks over the socket; the harness going away is its disconnect', async (t) => {
  const dir = join(t.testdir(), 'long-'.repeat(20))
  mkdirSync(dir)
  const path = join(dir, 'agent.sock')
  const ch = await SocketChannel.listen(path)
  ch.send({ type: 'echo', value: [1, { two: 2 }] }) // before the agent connects: queued
  const got: { type: string; [k: string]: unknown }[] = []
  const echoed = new Promise<void>((resolve) =>
    ch.onMessage((m) => {
      got.push(m as never)
      if ((m as { type: string }).type === 'echoed') resolve()
    }),
  )
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', AGENT], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, NETSIM_CHANNEL: path },
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  await ch.connected
  await echoed
  t.same(got, [
    { type: 'hello', connected: true },
    { type: 'echoed', value: [1, { two: 2 }] },
  ])
  ch.close()
  t.equal(await exited, 7, 'the agent saw its channel close')
  t.notOk(existsSync(path), 'the socket file is gone')
})
