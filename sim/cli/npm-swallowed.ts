/**
 * `npm run scenario failover --nodes 30` (no `--`) hands `--nodes` to npm, which keeps flags
 * before `--` for itself: it exports them as `npm_config_<name>` and passes the rest on, so
 * netsim sees `failover 30` ("Unknown argument: 30"), or nothing at all of a boolean flag, or
 * (for `--token T`, which npm expands to its own `--token-description`) runs with a different
 * token than asked. Under one of netsim's npm scripts, a netsim flag found among npm's config
 * variables means exactly that; the CLI says to put `--` before netsim's flags.
 */
export const NETSIM_SCRIPTS = ['scenario', 'netsim', 'regress', 'reap'] as const

export const swallowedFlags = (env: NodeJS.ProcessEnv, flags: readonly string[]): string[] => {
  const event = env.npm_lifecycle_event
  if (event === undefined || !(NETSIM_SCRIPTS as readonly string[]).includes(event)) return []
  const npmKeys = Object.keys(env)
    .filter((k) => k.startsWith('npm_config_'))
    .map((k) => k.slice('npm_config_'.length))
  return flags.filter((f) => {
    const key = f.replace(/-/g, '_')
    // exact, or npm's expansion of an abbreviation (token → token_description)
    return npmKeys.some((k) => k === key || k.startsWith(`${key}_`))
  })
}

export const swallowedMessage = (event: string, flags: readonly string[]): string =>
  `npm kept ${flags.map((f) => `--${f}`).join(', ')} for itself (npm reads flags before \`--\` as its own): put \`--\` before netsim's flags, e.g. \`npm run ${event} -- ${event === 'scenario' ? 'failover --nodes 30' : '--help'}\``
