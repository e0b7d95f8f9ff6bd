import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { NodeView } from './control-plane.ts'

/**
 * The orchestrator's HTTP API on loopback (Bacalhau's is on 1234; ours takes an ephemeral
 * port): `GET /api/v1/orchestrator/nodes` lists the nodes of the membership bucket with their
 * membership and the heartbeat server's connection state, `GET /healthz` answers ok.
 */
export const startHttpApi = async (name: string, list: () => NodeView[]): Promise<{ server: Server; port: number }> => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    if (req.method === 'GET' && url.pathname === '/api/v1/orchestrator/nodes') {
      const nodes = list().map((n) => ({
        id: n.id,
        membership: n.membership,
        connection: n.connection,
        last_seen_epoch_ms: n.lastSeen,
      }))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ orchestrator: name, nodes }))
    } else if (url.pathname === '/healthz') {
      res.writeHead(200).end('ok')
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }))
    }
  })
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}
