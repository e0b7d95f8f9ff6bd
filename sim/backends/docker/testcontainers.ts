import type { ContainerRuntimeClient } from 'testcontainers'

/**
 * testcontainers, loaded lazily (the other backends never pay its ~0.5 s import), with the two
 * settings netsim needs before its first call:
 *
 * - TESTCONTAINERS_RYUK_DISABLED: its reaper is a container from a registry image, and no
 *   registry is reachable; netsim reaps by label itself (reap-containers.ts).
 * - TESTCONTAINERS_HOST_OVERRIDE=localhost for a local engine: on a machine that is itself a
 *   container (/.dockerenv) testcontainers looks for the default bridge's gateway, which a
 *   dockerd without a bridge lacks ("Could not find a working container runtime strategy"),
 *   or runs a helper image to find it. The host only matters for published ports, which
 *   netsim never uses.
 *
 * Either is left alone when set.
 */
export type Testcontainers = typeof import('testcontainers')
export type Dockerode = ContainerRuntimeClient['container']['dockerode']

export const testcontainersEnv = (env: NodeJS.ProcessEnv = process.env): Record<string, string> => {
  const set: Record<string, string> = {}
  if (env.TESTCONTAINERS_RYUK_DISABLED === undefined) set.TESTCONTAINERS_RYUK_DISABLED = 'true'
  const host = env.DOCKER_HOST ?? ''
  if (env.TESTCONTAINERS_HOST_OVERRIDE === undefined && (host === '' || host.startsWith('unix://'))) set.TESTCONTAINERS_HOST_OVERRIDE = 'localhost'
  return set
}

export const loadTestcontainers = async (): Promise<Testcontainers> => {
  Object.assign(process.env, testcontainersEnv())
  return import('testcontainers')
}

export const runtimeClient = async (): Promise<ContainerRuntimeClient> => (await loadTestcontainers()).getContainerRuntimeClient()
