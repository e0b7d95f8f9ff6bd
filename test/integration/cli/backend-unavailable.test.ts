import t from 'tap'
import { spawnSync } from 'node:child_process'

/**
 * A backend this machine cannot run is a clear error before anything starts: what is missing,
 * the way out (`--backend process`), exit 69, within 5 s.
 */
const cli = new URL('../../../sim/cli/main.ts', import.meta.url).pathname
const node = process.execPath
const args = (...a: string[]) => ['--disable-warning=ExperimentalWarning', cli, ...a]

t.test('--backend docker without an engine: E_BACKEND_UNAVAILABLE naming what is missing, exit 69, within 5 s', async (t) => {
  const t0 = Date.now()
  const r = spawnSync(node, args('scenario', 'failover', '--backend', 'docker', '--nodes', '2'), {
    encoding: 'utf8',
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/netsim-test.sock' },
  })
  const ms = Date.now() - t0
  t.equal(r.status, 69)
  t.match(r.stderr, /E_BACKEND_UNAVAILABLE: the docker backend cannot run here: .*nonexistent.*--backend process/)
  t.ok(ms < 5_000 + 1_500, `answered in ${ms} ms (5 s budget, plus Node's start)`)
})

t.test('--backend netns as a user who is not root: the reason and --backend process, exit 69', async (t) => {
  if (process.getuid?.() !== 0) {
    const r = spawnSync(node, args('scenario', 'failover', '--backend', 'netns', '--nodes', '2'), { encoding: 'utf8' })
    t.equal(r.status, 69)
    t.match(r.stderr, /E_BACKEND_UNAVAILABLE: the netns backend cannot run here: creating network namespaces needs root.*--backend process/)
    return
  }
  // As root: the same command as `nobody` (uid 65534), when it may read the checkout.
  // Through `env -i`: tap's hooks add NODE_OPTIONS to every child, and would write where nobody may not.
  const r = spawnSync(
    'env',
    [
      '-i',
      `PATH=${process.env.PATH ?? '/usr/bin:/bin'}`,
      'HOME=/tmp',
      'TMPDIR=/tmp',
      node,
      ...args('scenario', 'failover', '--backend', 'netns', '--nodes', '2'),
    ],
    {
      encoding: 'utf8',
      uid: 65534,
      gid: 65534,
    },
  )
  if (r.status !== 69 && /EACCES|permission denied/i.test(r.stderr)) {
    t.comment(`skipped: nobody cannot read the checkout here: ${r.stderr.split('\n')[0]}`)
    return
  }
  t.equal(r.status, 69, 'exit 69', { stderr: r.stderr })
  t.match(r.stderr, /E_BACKEND_UNAVAILABLE: the netns backend cannot run here: creating network namespaces needs root.*--backend process/)
})
