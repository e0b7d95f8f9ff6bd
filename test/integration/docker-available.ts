import { DockerBackend } from '../../sim/backends/docker/docker-backend.ts'
import { LABEL } from '../../sim/backends/docker/docker-specs.ts'
import { runtimeClient } from '../../sim/backends/docker/testcontainers.ts'
import { natsServerBin } from './nats-available.ts'

/**
 * Runs on the docker backend need root, the netns tools, an engine and nats-server: skip, with
 * the reason printed, where any is missing, except in CI (CI=true), where the docker tests
 * must run (`.ci/run` starts an engine): there they run and fail, so a broken set-up cannot
 * pass as skipped tests.
 */
export const skipWithoutDocker = async (): Promise<{ skip: string } | Record<string, never>> => {
  const avail = await new DockerBackend().available()
  const why = !avail.ok
    ? `docker backend unavailable: ${avail.reason} (${avail.hint})`
    : natsServerBin() === null
      ? 'nats-server not found (run `npm run setup` or set NATS_SERVER_BIN)'
      : null
  return why === null || process.env['CI'] ? {} : { skip: why }
}

/** Names of the containers labelled with the run id, running or not. */
export const containersOfRun = async (runId: string): Promise<string[]> => {
  const docker = (await runtimeClient()).container.dockerode
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${LABEL.runId}=${runId}`] }) })
  return list.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id)
}
