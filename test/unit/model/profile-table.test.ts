import t from 'tap'
import { readFileSync } from 'node:fs'
import { PROFILES, PROFILE_NAMES, type Profile } from '../../../sim/model/profiles.ts'

/**
 * docs/design.md's profile table says, for each setting, Bacalhau's value at each tag and the
 * netsim key holding it. This reads the table and holds it to sim/model/profiles.ts: a value
 * changed on one side only fails here.
 */
const doc = readFileSync(new URL('../../../docs/design.md', import.meta.url), 'utf8')
const section = doc.slice(doc.indexOf('## Version profiles'), doc.indexOf('Not per profile'))
const rows = section
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| setting') && !l.startsWith('|---'))
  .map((l) =>
    l
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim()),
  )

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000 }

/** A cell as profiles.ts holds it: ms for durations, -1 for unlimited, null for none, names for names. */
const value = (cell: string): unknown => {
  if (cell === 'none') return null
  if (cell === 'unlimited') return -1
  if (cell === 'yes' || cell === 'no') return cell === 'yes'
  const d = /^(\d+(?:\.\d+)?) (ms|s|min)$/.exec(cell)
  if (d) return Number(d[1]) * (UNITS[d[2] as string] as number)
  if (/^\d+$/.test(cell)) return Number(cell)
  const names = [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1])
  return names
}

const held = (p: Profile, key: string): unknown => {
  if (key === 'heartbeat_subjects') return p.heartbeat_subjects
  if (key === 'membership_bucket') return [p.membership_bucket]
  if (key === 'libp2p') return p.libp2p
  return p.timers[key as keyof Profile['timers']]
}

t.test('the table has a row for every timer and per-profile fact', async (t) => {
  const keys = rows.map((r) => /^`([a-z0-9_]+)`/.exec(r[6] ?? '')?.[1])
  for (const k of [...Object.keys(PROFILES['v1.5'].timers), 'heartbeat_subjects', 'membership_bucket', 'libp2p'])
    t.ok(keys.includes(k), `a row for ${k}`)
  t.equal(rows[0]?.length, 7, 'setting, four profiles, source, netsim')
})

t.test("every value in the table is the profile's", async (t) => {
  for (const r of rows) {
    const key = /^`([a-z0-9_]+)`/.exec(r[6] ?? '')?.[1] as string
    PROFILE_NAMES.forEach((name, i) => {
      const cell = r[1 + i] as string
      const want = value(cell)
      const have = held(PROFILES[name], key)
      // the empty list of v1.3.0's subjects reads as "none"
      t.strictSame(want === null && Array.isArray(have) && have.length === 0 ? null : have, want, `${r[0]} at ${name}: ${cell}`)
    })
    t.match(r[5], /@v\d|@v2\.|nats/, `${r[0]}: a source with its tag`)
  }
})
