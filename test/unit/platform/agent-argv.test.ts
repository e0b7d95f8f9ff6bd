import t from 'tap'
import { agentArgv } from '../../../sim/platform/agent-process.ts'

t.test("an agent keeps Node's options, not the harness's loaders or debugger", async (t) => {
  const script = new URL('file:///p/sim/fleet/worker-main.ts')
  const argv = agentArgv(
    script,
    ['run-1', 'worker-0'],
    [
      '--import=file:///p/node_modules/@tapjs/mock/dist/esm/import.mjs',
      '--enable-source-maps',
      '--import',
      'tsx',
      '--max-old-space-size=4096',
      '--inspect=9229',
      '-r',
      'dd-trace/init',
      '--loader=ts-node/esm',
    ],
  )
  t.strictSame(argv.slice(1), [
    '--enable-source-maps',
    '--max-old-space-size=4096',
    '--disable-warning=ExperimentalWarning',
    '/p/sim/fleet/worker-main.ts',
    'run-1',
    'worker-0',
  ])
})
