import t from 'tap'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createBackend, detectBackend, firstAvailable, isBackendError, isBackendName, requireBackend } from '../../../sim/backends/index.ts'
import { ownerGone, selectsRun } from '../../../sim/platform/run-owner.ts'

t.test('the registry knows the three backends by name', async (t) => {
  for (const name of ['process', 'netns', 'docker'] as const) t.equal(createBackend(name).name, name)
  t.ok(isBackendName('netns'))
  t.notOk(isBackendName('kubernetes'))
})

t.test('process: always available, 127.0.0.1, plain processes, links by proxies', async (t) => {
  const d = await detectBackend('process')
  t.equal(d.ok, true)
  const hosts = await d.backend.prepare({ runId: '20261127-210012-675819', orchestrators: ['o'], groups: ['g'] })
  t.equal(hosts.addressOf('o'), '127.0.0.1')
  t.equal(hosts.placement('g'), undefined, 'no placement: a plain process here')
  t.throws(() => hosts.addressOf('nope'))
  const links = hosts.links({ runId: '20261127-210012-675819', groups: ['g'], seed: 1, connected: () => 0 })
  t.equal(links.proxied, true, 'per-group proxies')
  await links.dispose()
  await hosts.dispose()
})

t.test('what each backend offers a transport (the plan check reads this)', async (t) => {
  const nats = { name: 'nats', capabilities: ['link-proxy', 'placement'] as const }
  const libp2p = { name: 'libp2p', capabilities: [] as const }
  const process = createBackend('process')
  t.ok(process.offers(nats).includes('link:delay'), 'proxies delay NATS links')
  t.strictSame(process.offers(libp2p), ['extra-server'], 'no link layer for libp2p: the proxies speak NATS')
  t.match(process.lacks('link:blackhole', libp2p), /libp2p mode has no link layer/)
  const netns = createBackend('netns')
  t.strictSame([...netns.offers(nats)].sort(), ['link:blackhole', 'link:refuse', 'link:reset'], 'kernel cuts: whole links')
  t.match(netns.lacks('link:delay', nats), /netem/)
  // the kernel-cut backends explain a missing link ability alike (kernelLinkLacks), and the rest their own way
  const docker = createBackend('docker')
  for (const [cap, why] of [
    ['link:throttle', /netem/],
    ['link:one-way', /both ways/],
    ['link:partial', /every connection of the link/],
  ] as const) {
    t.match(netns.lacks(cap, nats), why, `netns lacks ${cap}`)
    t.match(docker.lacks(cap, nats), why, `docker lacks ${cap}`)
  }
  t.match(netns.lacks('extra-server', nats), /rogue orchestrator/)
  t.equal(netns.refuses(nats), null)
  t.match(netns.refuses(libp2p) ?? '', /not placed/)
})

t.test('docker without an engine: a reason and a hint, quickly', async (t) => {
  const saved = process.env.DOCKER_HOST
  process.env.DOCKER_HOST = 'unix:///nonexistent/netsim-test.sock'
  t.teardown(() => {
    if (saved === undefined) delete process.env.DOCKER_HOST
    else process.env.DOCKER_HOST = saved
  })
  const t0 = Date.now()
  const d = await detectBackend('docker')
  t.equal(d.ok, false)
  if (!d.ok) {
    t.match(d.reason, /nonexistent/)
    t.match(d.hint, /DOCKER_HOST/)
  }
  t.ok(Date.now() - t0 < 5_500, 'within the 5 s budget')
  const err = await requireBackend('docker').catch((e: unknown) => e)
  t.ok(isBackendError(err, 'E_BACKEND_UNAVAILABLE'), 'requireBackend throws a coded error')
  t.match((err as { hint?: string }).hint, /DOCKER_HOST/)
  const chain = await firstAvailable(['docker', 'process'])
  t.equal(chain.backend?.name, 'process', 'the chain falls through to the next')
  t.same(
    chain.skipped.map((s) => s.name),
    ['docker'],
  )
})

t.test('reap selection: named run, or runs whose owner is gone', async (t) => {
  const base = t.testdir()
  const saved = process.env.NETSIM_RUNS_DIR
  process.env.NETSIM_RUNS_DIR = base
  t.teardown(() => {
    if (saved === undefined) delete process.env.NETSIM_RUNS_DIR
    else process.env.NETSIM_RUNS_DIR = saved
  })
  const live = '20261127-210012-aaaaaa'
  const dead = '20261127-210012-bbbbbb'
  const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8')
  const field22 = start.slice(start.lastIndexOf(')') + 2).split(' ')[19]
  mkdirSync(join(base, live))
  writeFileSync(join(base, live, 'owner.json'), JSON.stringify({ pid: process.pid, start: field22 }))
  mkdirSync(join(base, dead))
  writeFileSync(join(base, dead, 'owner.json'), JSON.stringify({ pid: process.pid, start: 'recycled' }))
  t.equal(ownerGone(live), false)
  t.equal(ownerGone(dead), true, 'a recycled pid is not the owner')
  t.equal(ownerGone('20261127-210012-cccccc'), true, 'no run dir: gone')
  t.equal(selectsRun({}, live), false)
  t.equal(selectsRun({}, dead), true)
  t.equal(selectsRun({ runId: live }, live), true, 'named: reaped even when alive')
  t.equal(selectsRun({ runId: live }, dead), false)
  t.equal(selectsRun({ isOrphan: () => true }, live), true)
  rmSync(join(base, live), { recursive: true })
})

t.test("an unavailable backend's message says why, how to fix it, and always the way out", async (t) => {
  const { unavailableMessage } = await import('../../../sim/backends/index.ts')
  t.equal(
    unavailableMessage('netns', 'creating network namespaces needs root', 'run as root (sudo), or use --backend process'),
    'the netns backend cannot run here: creating network namespaces needs root. To fix: run as root (sudo), or use --backend process',
  )
  t.match(unavailableMessage('netns', 'nft not found', 'apt-get install -y nftables'), /apt-get install -y nftables; or use --backend process/)
})
