import { inspect } from 'node:util'

/**
 * A secret (a token, a route password) that cannot leak by accident: it prints, serialises and
 * interpolates as `***`; only `reveal()` gives the value, and only code that hands it to a NATS
 * client or server config calls that. Plans and reports may hold Secrets safely.
 */
export class Secret {
  readonly #value: string

  constructor(value: string) {
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }
  toString(): string {
    return '***'
  }
  toJSON(): string {
    return '***'
  }
  [inspect.custom](): string {
    return 'Secret(***)'
  }
}

/** Removes every known secret (raw and URL-encoded) and any `nats://token@` userinfo from text. */
export class Redactor {
  readonly #values = new Set<string>()

  add(secret: Secret | string | undefined): void {
    const v = secret instanceof Secret ? secret.reveal() : secret
    // Every secret, whatever its length: a short one masks more than itself (every "ab" in a
    // line), which garbles output but never leaks it.
    if (v === undefined || v === '') return
    this.#values.add(v)
    this.#values.add(encodeURIComponent(v))
  }

  redact = (text: string): string => {
    let out = text
    // Longest first, so a value containing another is removed whole.
    for (const v of [...this.#values].sort((a, b) => b.length - a.length)) out = out.split(v).join('***')
    return redactUrl(out)
  }
}

/**
 * Hides userinfo in orchestrator entries: `nats://secret@host:4222` → `nats://***@host:4222`,
 * also for other schemes and scheme-less `secret@host`. Greedy up to the last `@` of an entry
 * (entries are comma-separated), so a token holding `@` or `/` is hidden whole.
 */
export const redactUrl = (text: string): string => text.replace(/(^|[\s,"'(])((?:[a-z][a-z0-9+.-]*:\/\/)?)[^\s,"']*@/gi, '$1$2***@')
