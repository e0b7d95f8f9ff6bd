import { createHash } from 'node:crypto'
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { BackendError } from '../../core/hosts.ts'
import { run } from '../../platform/exec.ts'
import { natsServerVersion } from '../../platform/nats-server-binary.ts'
import { dockerfile, EXTRA_FILES, imageFiles, natsImageTag, nodeImageTag, type ImageFile } from './image-specs.ts'
import { loadTestcontainers } from './testcontainers.ts'

/**
 * Builds the docker backend's images (image-specs.ts) when their tag is missing, never pulls:
 * the first docker run on a machine builds them (about half a second each), every later one
 * finds them. A tag names its content, so nothing is ever rebuilt by mistake or reused stale.
 */
export interface Images {
  /** orchestrators and spare servers: nats-server, Node's libraries, the holder's shell */
  nats?: string
  /** node groups' workers: Node's libraries and the shell */
  node?: string
}

const SHELL = '/bin/sh'

const lddOf = async (ldd: string, binary: string): Promise<string> => {
  try {
    return (await run(ldd, [binary], { timeoutMs: 10_000 })).stdout
  } catch (e) {
    // a static binary: "not a dynamic executable", exit 1
    if (/not a dynamic executable/.test((e as Error).message)) return ''
    throw e
  }
}

const hashFiles = (files: ImageFile[]): string => {
  const h = createHash('sha256')
  for (const f of files) h.update(`${f.dest}\0${createHash('sha256').update(readFileSync(f.source)).digest('hex')}\n`)
  for (const [dest, text] of Object.entries(EXTRA_FILES)) h.update(`${dest}\0${text}\n`)
  return h.digest('hex')
}

const exists = async (tag: string): Promise<boolean> => {
  const { getContainerRuntimeClient, ImageName } = await loadTestcontainers()
  return (await getContainerRuntimeClient()).image.exists(ImageName.fromString(tag))
}

/** A build context (rootfs/ and a Dockerfile) in a temp dir, built and removed. */
const build = async (tag: string, files: ImageFile[], labels: Record<string, string>): Promise<void> => {
  const ctx = mkdtempSync(join(tmpdir(), 'netsim-image-'))
  try {
    const root = join(ctx, 'rootfs')
    for (const f of files) {
      const to = join(root, f.dest)
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(realpathSync(f.source), to)
      chmodSync(to, 0o755)
    }
    for (const [dest, text] of Object.entries(EXTRA_FILES)) {
      mkdirSync(dirname(join(root, dest)), { recursive: true })
      writeFileSync(join(root, dest), text, { mode: 0o644 })
    }
    mkdirSync(join(root, 'tmp'))
    chmodSync(join(root, 'tmp'), 0o1777)
    writeFileSync(join(ctx, 'Dockerfile'), dockerfile(labels))
    const { GenericContainer } = await loadTestcontainers()
    await GenericContainer.fromDockerfile(ctx).build(tag, { deleteOnExit: false })
  } catch (e) {
    throw new BackendError('E_BACKEND', `building image ${tag} failed: ${(e as Error).message}`, { cause: e })
  } finally {
    rmSync(ctx, { recursive: true, force: true })
  }
}

/** The images a run needs, built when missing; `built` names the ones this call built. */
export const ensureImages = async (ldd: string, need: { serverBinary?: string; groups: boolean }): Promise<Images & { built: string[] }> => {
  const node = realpathSync(process.execPath)
  const base = [
    { path: node, dest: node, ldd: await lddOf(ldd, node) },
    { path: SHELL, ldd: await lddOf(ldd, SHELL) },
  ]
  // Node itself is not copied: it comes from the read-only mount, byte for byte the harness's.
  const libsOnly = (files: ImageFile[]) => files.filter((f) => f.dest !== node)
  const out: Images & { built: string[] } = { built: [] }
  if (need.groups) {
    const files = libsOnly(imageFiles(base))
    const tag = nodeImageTag(hashFiles(files))
    if (!(await exists(tag))) {
      await build(tag, files, { 'netsim.image': 'node-libs' })
      out.built.push(tag)
    }
    out.node = tag
  }
  if (need.serverBinary !== undefined) {
    const bin = need.serverBinary
    const files = libsOnly(imageFiles([...base, { path: bin, ldd: await lddOf(ldd, bin) }]))
    const version = natsServerVersion(bin)
    const tag = natsImageTag(version, hashFiles(files))
    if (!(await exists(tag))) {
      await build(tag, files, { 'netsim.image': 'nats', 'netsim.nats-version': version })
      out.built.push(tag)
    }
    out.nats = tag
  }
  return out
}
