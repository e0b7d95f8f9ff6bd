import { parseStep, type ParsedStep as Step } from '../../../sim/steps/index.ts'

/** The step `raw` parses to; throws (a test failure) when it is refused. */
export const ok = (raw: unknown): Step => {
  const r = parseStep(raw)
  if (!r.ok) throw new Error(`expected ${JSON.stringify(raw)} to parse: ${JSON.stringify(r.issues)}`)
  return r.step
}

/** The issues `raw` is refused with; throws when it parses. */
export const issues = (raw: unknown) => {
  const r = parseStep(raw)
  if (r.ok) throw new Error(`expected ${JSON.stringify(raw)} to be refused, got ${JSON.stringify(r.step)}`)
  return r.issues
}
