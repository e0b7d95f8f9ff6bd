import { BackendError, type Availability, type Backend, type BackendName } from '../core/hosts.ts'
import { BACKEND_NAMES } from '../plan/run-plan.ts'
import { DockerBackend } from './docker/docker-backend.ts'
import { NetnsBackend } from './netns/netns-backend.ts'
import { ProcessBackend } from './process/process-backend.ts'

export * from '../core/hosts.ts'
export { BACKEND_NAMES }
export { NetnsBackend, NetnsHosts } from './netns/netns-backend.ts'
export { reapNamespaces, type NamespaceReapResult } from './netns/reap-namespaces.ts'
export { DockerBackend, DockerHosts } from './docker/docker-backend.ts'
export { reapContainers, type ContainerReapResult } from './docker/reap-containers.ts'
export { ProcessBackend, ProcessHosts } from './process/process-backend.ts'
export { ownerGone, type ReapFilter } from '../platform/run-owner.ts'

/** Backends by name. Each is a plugin: what it offers a plan, whether this machine can run it, its hosts. */
const REGISTRY: Record<BackendName, () => Backend> = {
  process: () => new ProcessBackend(),
  netns: () => new NetnsBackend(),
  docker: () => new DockerBackend(),
}

export const createBackend = (name: BackendName): Backend => REGISTRY[name]()

/** The backend's traits without its machine checks: for plan-time capability checks. */
export const backendTraits = (name: BackendName): Pick<Backend, 'name' | 'summary' | 'offers' | 'refuses' | 'lacks'> => REGISTRY[name]()

export const isBackendName = (s: string): s is BackendName => (BACKEND_NAMES as readonly string[]).includes(s)

export type Detection = { name: BackendName; backend: Backend } & Availability

/**
 * Whether the named backend can run here, and if not, why and what to do — each backend's
 * checks in order (netns: Linux, root, ip/nft/ss/sysctl, a trial namespace; docker: Linux,
 * root, those tools, nsenter and ldd, then an engine answering within 5 s). Never hangs.
 */
export const detectBackend = async (name: BackendName): Promise<Detection> => {
  const backend = createBackend(name)
  return { name, backend, ...(await backend.available()) }
}

/**
 * The named backend, or E_BACKEND_UNAVAILABLE with the reason and the hint, both in the message
 * (the CLI prints only the message), which always names the process backend as the way out.
 */
export const requireBackend = async (name: BackendName): Promise<Backend> => {
  const d = await detectBackend(name)
  if (!d.ok) throw new BackendError('E_BACKEND_UNAVAILABLE', unavailableMessage(name, d.reason, d.hint), { hint: d.hint })
  return d.backend
}

export const unavailableMessage = (name: BackendName, reason: string, hint: string): string => {
  const fallback = /--backend process/.test(hint) ? '' : '; or use --backend process (plain processes, link faults by proxies)'
  return `the ${name} backend cannot run here: ${reason}. To fix: ${hint}${fallback}`
}

/** The first available of `preferred`, with the reasons the ones before it were passed over. */
export const firstAvailable = async (preferred: BackendName[]): Promise<{ backend: Backend | null; skipped: Detection[] }> => {
  const skipped: Detection[] = []
  for (const name of preferred) {
    const d = await detectBackend(name)
    if (d.ok) return { backend: d.backend, skipped }
    skipped.push(d)
  }
  return { backend: null, skipped }
}
