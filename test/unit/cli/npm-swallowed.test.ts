import t from 'tap'
import { swallowedFlags, swallowedMessage } from '../../../sim/cli/npm-swallowed.ts'

const FLAGS = ['nodes', 'seed', 'token', 'token-file', 'out', 'list', 'time-scale']

t.test('flags npm kept for itself, under netsim scripts only', async (t) => {
  // `npm run scenario failover --nodes 30 --seed=3 --token T --time-scale 1` (measured: npm 10)
  const env = {
    npm_lifecycle_event: 'scenario',
    npm_config_nodes: 'true',
    npm_config_seed: '3',
    npm_config_token_description: 'T',
    npm_config_time_scale: 'true',
    npm_config_cache: '/root/.npm',
  }
  t.strictSame(swallowedFlags(env, FLAGS), ['nodes', 'seed', 'token', 'time-scale'])
  t.strictSame(swallowedFlags({ ...env, npm_lifecycle_event: 'test' }, FLAGS), [], 'not under npm test (its children inherit the variables)')
  t.strictSame(swallowedFlags({ npm_config_nodes: 'true' }, FLAGS), [], 'not outside npm')
  t.strictSame(
    swallowedFlags({ npm_lifecycle_event: 'scenario', npm_config_cache: 'x', npm_config_loglevel: 'silent' }, FLAGS),
    [],
    "npm's own settings are not netsim flags",
  )
  t.equal(
    swallowedMessage('scenario', ['nodes']),
    "npm kept --nodes for itself (npm reads flags before `--` as its own): put `--` before netsim's flags, e.g. `npm run scenario -- failover --nodes 30`",
  )
})
