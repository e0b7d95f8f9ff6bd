/**
 * The link process: every link proxy of a run, on an event loop of their own (node traffic must
 * not queue behind the harness's work, nor the harness's behind it). Commands arrive over IPC;
 * the run id is on the command line for reaping.
 */
import { LinkProxy } from './link-proxy.ts'
import type { LinkFaultSpec } from '../../../core/links.ts'
import { sendToParent } from '../../../platform/event-batcher.ts'

export type LinkCommand =
  { type: 'add'; group: string; orch: string; server: string; seed: number } | { type: 'apply'; fault: LinkFaultSpec } | { type: 'heal'; id: string }

const proxies = new Map<string, LinkProxy>() // `${group}/${orch}`
const orchOfServer = new Map<string, string>() // server host:port -> orch

/** A group's view of the cluster: a server's address becomes the group's proxy for it. */
const mapFor = (group: string) => (server: string) => {
  const orch = orchOfServer.get(server)
  const p = orch === undefined ? undefined : proxies.get(`${group}/${orch}`)
  return p === undefined ? undefined : `127.0.0.1:${p.port}`
}

const reply = (msg: Record<string, unknown> & { type: string }) => sendToParent(msg as never)

process.on('message', async (cmd: LinkCommand) => {
  try {
    if (cmd.type === 'add') {
      const [host, port] = [cmd.server.slice(0, cmd.server.lastIndexOf(':')), Number(cmd.server.slice(cmd.server.lastIndexOf(':') + 1))]
      orchOfServer.set(cmd.server, cmd.orch)
      const key = `${cmd.group}/${cmd.orch}`
      let p = proxies.get(key)
      if (!p) {
        p = new LinkProxy(cmd.group, cmd.orch, { host, port }, mapFor(cmd.group), cmd.seed)
        await p.listen()
        proxies.set(key, p)
      }
      reply({ type: 'added', address: `127.0.0.1:${p.port}` })
    } else if (cmd.type === 'apply') {
      let hit = 0
      for (const p of proxies.values()) {
        if (p.group === cmd.fault.group && cmd.fault.orchestrators.includes(p.orch)) hit += (await p.apply(cmd.fault)).hit
      }
      reply({ type: 'applied', hit })
    } else if (cmd.type === 'heal') {
      for (const p of proxies.values()) await p.heal(cmd.id)
      reply({ type: 'healed' })
    }
  } catch (err) {
    sendToParent({ type: 'fatal', message: (err as Error).message })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {})
