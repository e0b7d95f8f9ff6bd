/**
 * Where one host's processes run, as the harness needs it: the address its servers bind and
 * others dial, how a command is started there, and how the harness reads an HTTP endpoint at
 * that address. On the process backend that is 127.0.0.1, the command as it is and a plain
 * fetch; on netns the host's 127.200.x.y, `ip netns exec <ns> …`, and a GET relayed through
 * the run's observer process (netns/observer.ts), since the root namespace cannot reach the
 * run's addresses.
 */
export interface HttpResponse {
  status: number
  body: string
}

export type HttpGet = (url: string, timeoutMs: number) => Promise<HttpResponse>

export const directHttpGet: HttpGet = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) })
  return { status: res.status, body: await res.text() }
}

export interface Placement {
  address: string
  wrap(argv: string[]): string[]
  httpGet: HttpGet
}

/** A plain process on this machine's loopback: what netsim did before backends. */
export const LOCAL_PLACEMENT: Placement = { address: '127.0.0.1', wrap: (argv) => argv, httpGet: directHttpGet }
