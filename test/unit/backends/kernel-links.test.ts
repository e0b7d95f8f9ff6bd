import t from 'tap'
import { KernelLinks } from '../../../sim/backends/kernel-links.ts'
import type { LinkFaultSpec } from '../../../sim/core/links.ts'
import { linkFaultSpec } from '../../helpers/link-fault.ts'

const fault = (id: string, type: string, orchestrators: string[], extra: Parameters<typeof linkFaultSpec>[1] = {}): LinkFaultSpec =>
  linkFaultSpec(type, { id, group: 'edge', orchestrators, ...extra })

/** A Hosts stand-in that records cut/heal calls. */
const fakeHosts = () => {
  const calls: string[] = []
  return {
    calls,
    cut: async (a: string, b: string, how: string) => void calls.push(`cut ${a} ${b} ${how}`),
    heal: async (a: string, b: string) => void calls.push(`heal ${a} ${b}`),
  }
}

t.test('a fault cuts the group from each orchestrator; heal undoes exactly that', async (t) => {
  const h = fakeHosts()
  const k = new KernelLinks(h, (g, o) => (g === 'edge' ? o.length * 10 : 0))
  t.same(await k.apply(fault('f1', 'blackhole', ['orch-0', 'orch-1'])), { hit: 20 }, 'hit: the connected nodes')
  t.same(h.calls, ['cut edge orch-0 blackhole', 'cut edge orch-1 blackhole'])
  t.same(
    [...k.cutNow()],
    [
      ['edge/orch-0', 'blackhole'],
      ['edge/orch-1', 'blackhole'],
    ],
  )
  await k.heal('f1')
  t.same(h.calls.slice(2), ['heal edge orch-0', 'heal edge orch-1'])
  await k.heal('f1')
  t.equal(h.calls.length, 4, 'healing twice does nothing')
  t.equal(k.cutNow().size, 0)
})

t.test('overlapping faults: the link stays cut until the last heals, with the latest mode', async (t) => {
  const h = fakeHosts()
  const k = new KernelLinks(h)
  await k.apply(fault('a', 'blackhole', ['orch-0']))
  await k.apply(fault('b', 'reset', ['orch-0', 'orch-1']))
  await k.heal('b')
  t.same(h.calls, ['cut edge orch-0 blackhole', 'cut edge orch-0 reset', 'cut edge orch-1 reset', 'cut edge orch-0 blackhole', 'heal edge orch-1'])
  await k.heal('a')
  t.equal(h.calls.at(-1), 'heal edge orch-0')
})

t.test('what a kernel cut cannot be is refused, nothing cut', async (t) => {
  const h = fakeHosts()
  const k = new KernelLinks(h)
  await t.rejects(k.apply(fault('l', 'latency', ['orch-0'], { latencyMs: 5 })), { code: 'E_BACKEND_UNSUPPORTED' })
  await t.rejects(k.apply(fault('d', 'down', ['orch-0'], { direction: 'to_node' })), { code: 'E_BACKEND_UNSUPPORTED' })
  await t.rejects(k.apply(fault('p', 'down', ['orch-0'], { probability: 0.5 })), { code: 'E_BACKEND_UNSUPPORTED' })
  t.same(h.calls, [])
})
