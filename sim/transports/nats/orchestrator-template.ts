import { parseOrchestratorList } from '../../model/orchestrator-list.ts'
import { isNetsimError } from '../../core/errors.ts'

/**
 * A group's `orchestrators:` value is Bacalhau's `--orchestrators` flag with placeholders, so a
 * scenario can say exactly what an operator would type: `{orch-N}` is that orchestrator's
 * host:port, `{token}` the run's token and `{wrong_token}` a wrong one, both percent-encoded as
 * a URL's userinfo must be (e.g. `nats://{token}@{orch-0},{orch-1}`).
 */
const PLACEHOLDER = /\{([a-z0-9_-]+)\}/g

export interface TemplateValues {
  orchestrators: Map<string, string>
  token?: string
  wrongToken?: string
}

export const expandOrchestratorTemplate = (template: string, v: TemplateValues): string =>
  template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'token') return encodeURIComponent(v.token ?? '')
    if (name === 'wrong_token') return encodeURIComponent(v.wrongToken ?? '')
    const hostport = v.orchestrators.get(name)
    if (hostport === undefined) throw new Error(`unknown placeholder ${whole}`)
    return hostport
  })

/** A problem with the template (unknown placeholder, an entry that cannot be parsed), or null. */
export const checkOrchestratorTemplate = (template: string, orchestratorCount: number): string | null => {
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] as string
    const orch = /^orch-(\d+)$/.exec(name)
    if (name !== 'token' && name !== 'wrong_token' && !orch) return `unknown placeholder {${name}} (use {orch-N}, {token} or {wrong_token})`
    if (orch && Number(orch[1]) >= orchestratorCount) return `{${name}} does not exist at start: the run starts ${orchestratorCount} orchestrator(s)`
  }
  const dummy = new Map(Array.from({ length: orchestratorCount }, (_, i) => [`orch-${i}`, `127.0.0.1:${4222 + i}`]))
  try {
    parseOrchestratorList(expandOrchestratorTemplate(template, { orchestrators: dummy, token: 'x', wrongToken: 'y' }))
    return null
  } catch (e) {
    if (isNetsimError(e)) return e.message
    throw e
  }
}
