import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { writeBaseline } from '../../../sim/regress/baseline-file.ts'
import { SAMPLES_COLUMNS } from '../../../sim/report/format/csv.ts'

t.test('a baseline pools runs as samples.csv rows, missing values as empty cells', async (t) => {
  const file = join(t.testdir(), 'baselines', 'x.csv')
  writeBaseline(file, 'x', [
    { runId: 'r1', values: [{ node: 'n1', group: 'g', metric: 'connect_ms', value_ms: 1.5 }] },
    { runId: 'r2', values: [{ node: 'n1', group: 'g', metric: 'connect_ms', value_ms: null }] },
  ])
  t.same(readFileSync(file, 'utf8').trim().split('\n'), [SAMPLES_COLUMNS.join(','), 'r1,x,g,n1,connect_ms,1.500', 'r2,x,g,n1,connect_ms,'])
})
