import t from 'tap'
import { parseTimerFlags } from '../../../sim/cli/regress-command.ts'
import { isNetsimError } from '../../../sim/core/errors.ts'

t.test('--timer name=value flags become timer overrides', async (t) => {
  t.equal(parseTimerFlags(undefined), undefined)
  t.same(parseTimerFlags(['ping_interval=40s', 'heartbeat_interval=null']), { ping_interval: '40s', heartbeat_interval: null })
  const bad = (() => {
    try {
      parseTimerFlags(['ping_intervall=40s'])
    } catch (e) {
      return e
    }
  })()
  t.ok(isNetsimError(bad, 'E_USAGE'))
  t.match((bad as Error).message, /ping_intervall/)
  const noEq = (() => {
    try {
      parseTimerFlags(['40s'])
    } catch (e) {
      return e
    }
  })()
  t.match((noEq as Error).message, /expected name=duration/)
})
