import type t from 'tap'
import { join } from 'node:path'
import { NetsimError, type ErrorCode } from '../../../sim/core/errors.ts'
import { resolvePlan, type RunOptions } from '../../../sim/config/resolve.ts'

/** the type of a (sub)test's `t` */
export type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

/** Resolves a scenario written to a fresh testdir (removed after the test). */
export const plan = (t: TapTest, scenario: string, opts: Partial<RunOptions> = {}) => {
  const d = t.testdir({ 's.yaml': scenario })
  return resolvePlan({ scenario: join(d, 's.yaml'), configFile: null, seed: 1, ...opts })
}

/** Runs `fn`, which must throw a NetsimError with `code`; returns it. */
export const fails = (t: TapTest, code: ErrorCode, fn: () => unknown): NetsimError | undefined => {
  try {
    fn()
    t.fail(`expected ${code}`)
  } catch (e) {
    t.ok(e instanceof NetsimError, `a NetsimError (${(e as Error).message})`)
    t.equal((e as NetsimError).code, code)
    return e as NetsimError
  }
  return undefined
}
