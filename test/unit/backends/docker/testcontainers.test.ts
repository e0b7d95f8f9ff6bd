import t from 'tap'
import { testcontainersEnv } from '../../../../sim/backends/docker/testcontainers.ts'

t.test('testcontainers: no reaper container (a pull), the local host named, set values kept', async (t) => {
  t.same(testcontainersEnv({}), { TESTCONTAINERS_RYUK_DISABLED: 'true', TESTCONTAINERS_HOST_OVERRIDE: 'localhost' })
  t.same(testcontainersEnv({ DOCKER_HOST: 'unix:///run/docker.sock' }), {
    TESTCONTAINERS_RYUK_DISABLED: 'true',
    TESTCONTAINERS_HOST_OVERRIDE: 'localhost',
  })
  t.same(testcontainersEnv({ DOCKER_HOST: 'tcp://10.0.0.5:2375' }), { TESTCONTAINERS_RYUK_DISABLED: 'true' }, 'a remote engine: its own host')
  t.same(testcontainersEnv({ TESTCONTAINERS_RYUK_DISABLED: 'false', TESTCONTAINERS_HOST_OVERRIDE: 'h' }), {})
})
