import t from 'tap'
import { calibrateCommand } from '../../../sim/cli/calibrate-command.ts'
import { CalibrateSettingsSchema } from '../../../sim/config/calibrate-settings.ts'

const signal = new AbortController().signal

t.test('calibrate: flags are checked before anything is built or run', async (t) => {
  await t.rejects(calibrateCommand({ faults: ['kill,bogus'], config: 'harness.config.yaml' }, signal), {
    code: 'E_USAGE',
    message: /--faults: unknown bogus/,
  })
  await t.rejects(calibrateCommand({ nodes: 2.5 }, signal), { code: 'E_USAGE', message: /--nodes/ })
  await t.rejects(calibrateCommand({ repeats: 0 }, signal), { code: 'E_USAGE', message: /--repeats/ })
})

t.test('calibrate settings: defaults, and the check tier (kill and freeze, tens of nodes)', async (t) => {
  const s = CalibrateSettingsSchema.parse({})
  t.match(s, {
    bound: 1.25,
    floor: '0.5 * reconnect_wait',
    seed: 1,
    nodes: 60,
    repeats: 3,
    faults: ['kill', 'stop', 'freeze', 'blackhole', 'restart'],
  })
  t.same(s.check, { nodes: 30, repeats: 3, faults: ['kill', 'freeze'] })
  t.throws(() => CalibrateSettingsSchema.parse({ bound: 1 }))
  t.throws(() => CalibrateSettingsSchema.parse({ floor: '2 * no_such_timer' }))
  t.throws(() => CalibrateSettingsSchema.parse({ faults: ['kill', 'kill'] }))
  t.throws(() => CalibrateSettingsSchema.parse({ faults: ['latency'] }))
})
