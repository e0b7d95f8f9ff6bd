/**
 * nats-server configuration text for one orchestrator's embedded server, as Bacalhau builds it:
 * token authorization on the client port, a cluster listener and routes only when there are
 * peers, and (Bacalhau's default) no authentication on routes unless asked for.
 *
 * Ports are `-1` (the server picks, and reports them in its ports file) on first start, and
 * fixed on a restart so clients and peers find it where it was.
 */
export interface ServerConfigSpec {
  name: string
  /** the address every listener binds (client, monitoring, cluster); default 127.0.0.1. On the
   *  netns backend, the host's own 127.200.x.y: nats-server then also advertises it to clients. */
  host?: string
  /** directory the server writes its ports file into */
  portsDir: string
  /** client token; undefined: no authorization (Bacalhau with an empty authsecret) */
  token?: string
  ports?: { client: number; http: number; cluster?: number }
  cluster?: {
    name: string
    /** `host:port` of peers' cluster listeners */
    routes: string[]
    /** user/password required on routes (Bacalhau configures none) */
    auth?: { user: string; password: string }
  }
  lameDuck: { durationMs: number; graceMs: number }
  jetstream?: { storeDir: string }
}

/** NATS config strings are quoted; the token may hold any character. */
const quote = (s: string): string => JSON.stringify(s)

export const renderServerConfig = (spec: ServerConfigSpec): string => {
  const port = (p: number | undefined) => (p === undefined ? -1 : p)
  const host = spec.host ?? '127.0.0.1'
  const lines = [
    `server_name: ${quote(spec.name)}`,
    `host: ${quote(host)}`,
    `port: ${port(spec.ports?.client)}`,
    `http: ${quote(`${host}:${port(spec.ports?.http)}`)}`,
    `ports_file_dir: ${quote(spec.portsDir)}`,
    // nats-server refuses a lame-duck duration under 30 s.
    `lame_duck_duration: "${Math.max(30, Math.ceil(spec.lameDuck.durationMs / 1000))}s"`,
    `lame_duck_grace_period: "${Math.max(0, Math.round(spec.lameDuck.graceMs))}ms"`,
  ]
  if (spec.token !== undefined) lines.push(`authorization { token: ${quote(spec.token)} }`)
  if (spec.jetstream) lines.push(`jetstream { store_dir: ${quote(spec.jetstream.storeDir)} }`)
  if (spec.cluster) {
    const c = spec.cluster
    const cred = c.auth ? `${encodeURIComponent(c.auth.user)}:${encodeURIComponent(c.auth.password)}@` : ''
    lines.push('cluster {')
    lines.push(`  name: ${quote(c.name)}`)
    lines.push(`  listen: ${quote(`${host}:${port(spec.ports?.cluster)}`)}`)
    if (c.auth) lines.push(`  authorization { user: ${quote(c.auth.user)}, password: ${quote(c.auth.password)} }`)
    if (c.routes.length > 0) {
      lines.push('  routes: [')
      for (const r of c.routes) lines.push(`    ${quote(`nats-route://${cred}${r}`)}`)
      lines.push('  ]')
    }
    lines.push('}')
  }
  return lines.join('\n') + '\n'
}
