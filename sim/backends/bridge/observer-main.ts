/**
 * The run's observer: a process in the run's bridge namespace (netns and docker runs), whose address on the bridge
 * reaches every host's 127.200.x.y and sits behind no cut (cuts filter in the hosts' own
 * namespaces, by the peer's address, and the bridge's is never one of them). The harness, in
 * the root namespace, cannot reach those addresses: it asks this process to GET a URL
 * (nats-server's /healthz and /routez) and gets the answer back over IPC. The run id is on the
 * command line for reaping.
 */
export type ObserverRequest = { type: 'get'; id: number; url: string; timeoutMs: number }
export type ObserverReply = { type: 'got'; id: number; status: number; body: string } | { type: 'got'; id: number; error: string }

const reply = (m: ObserverReply): void => {
  process.send?.(m)
}

process.on('message', async (m: ObserverRequest) => {
  if (m.type !== 'get') return
  try {
    const res = await fetch(m.url, { signal: AbortSignal.timeout(m.timeoutMs) })
    reply({ type: 'got', id: m.id, status: res.status, body: await res.text() })
  } catch (e) {
    reply({ type: 'got', id: m.id, error: (e as Error).message })
  }
})
process.on('disconnect', () => process.exit(0))
process.on('SIGINT', () => {}) // the harness stops it
process.send?.({ type: 'ready' })
