import t from 'tap'
import { confirmedRows, regressedKeys } from '../../../sim/regress/confirm.ts'
import type { CompareRow } from '../../../sim/report/format/compare-csv.ts'

const row = (metric: string, verdict: CompareRow['verdict'], group = 'all'): CompareRow =>
  ({ metric, group, verdict, reason: 'because' }) as CompareRow

t.test('regressedKeys names group and metric of the regressed rows only', async (t) => {
  t.strictSame(
    [...regressedKeys([row('a', 'regressed'), row('b', 'same'), row('c', 'improved'), row('a', 'regressed', 'compute')])],
    ['all.a', 'compute.a'],
  )
})

t.test('a metric regresses only when the first runs and the pooled runs both say so', async (t) => {
  const first = [row('both', 'regressed'), row('first-only', 'regressed'), row('pooled-only', 'same'), row('neither', 'same')]
  const pooled = [row('both', 'regressed'), row('first-only', 'same'), row('pooled-only', 'regressed'), row('neither', 'same')]
  const got = confirmedRows(first, pooled)
  t.strictSame(
    got.map((r) => `${r.metric}: ${r.verdict}`),
    ['both: regressed', 'first-only: same', 'pooled-only: same', 'neither: same'],
  )
  t.equal(got[2]?.reason, 'because (not in the first runs)', 'a demoted row says why')
  t.equal(got[0]?.reason, 'because', 'a confirmed row keeps its reason')
})

t.test('the same metric in another group is judged on its own', async (t) => {
  const got = confirmedRows([row('m', 'regressed', 'compute')], [row('m', 'regressed', 'compute'), row('m', 'regressed', 'all')])
  t.strictSame(
    got.map((r) => `${r.group}.${r.metric}: ${r.verdict}`),
    ['compute.m: regressed', 'all.m: same'],
  )
})
