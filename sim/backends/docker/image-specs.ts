/**
 * The docker backend's two images, as plain data (pure; images.ts builds them). No registry is
 * needed or asked: both are built FROM scratch from files of this machine, once per content.
 *
 * - `netsim-nats:<version>-<hash>`: the nats-server the run uses, at its own path, with the
 *   shared libraries it links (Debian's build is dynamic); also Node's libraries, since the
 *   orchestrator's control plane runs in the same container on the mounted Node runtime, as an
 *   embedded server shares its orchestrator's process.
 * - `netsim-node-libs:<hash>`: Node's libraries only; the pinned runtime and the project are
 *   mounted read-only, so the container runs exactly the harness's Node and code.
 *
 * Both hold /bin/sh (a host's network holder is a shell waiting on stdin), /tmp, and a one-line passwd
 * (Node's os.userInfo needs one). The hash covers every file's path and content, so a new
 * binary or library makes a new tag and an unchanged machine reuses the image.
 */
export interface ImageFile {
  /** a file of this machine (its content is copied, links followed) */
  source: string
  /** its path in the image */
  dest: string
}

/**
 * The files `ldd` lists: `libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)` and the loader
 * `/lib64/ld-linux-x86-64.so.2 (0x…)`; `linux-vdso.so.1` has no file. Placed at the paths ldd
 * prints: the loader looks there.
 */
export const lddPaths = (output: string): string[] => {
  const out: string[] = []
  for (const line of output.split('\n')) {
    const arrow = /=>\s+(\/\S+)\s+\(/.exec(line)
    if (arrow?.[1] !== undefined) out.push(arrow[1])
    else {
      const direct = /^\s*(\/\S+)\s+\(/.exec(line)
      if (direct?.[1] !== undefined) out.push(direct[1])
    }
  }
  return out
}

/** A binary at `dest` (default its own path) and its libraries; duplicates (a shared libc) once. */
export const imageFiles = (binaries: { path: string; dest?: string; ldd: string }[]): ImageFile[] => {
  const byDest = new Map<string, ImageFile>()
  for (const b of binaries) {
    byDest.set(b.dest ?? b.path, { source: b.path, dest: b.dest ?? b.path })
    for (const lib of lddPaths(b.ldd)) if (!byDest.has(lib)) byDest.set(lib, { source: lib, dest: lib })
  }
  return [...byDest.values()].sort((a, b) => a.dest.localeCompare(b.dest))
}

/** Written into the image: Node's os.userInfo() throws without a passwd entry. */
export const EXTRA_FILES: Record<string, string> = {
  '/etc/passwd': 'root:x:0:0:root:/tmp:/nonexistent\n',
  '/etc/group': 'root:x:0:\n',
}

export const dockerfile = (labels: Record<string, string>): string =>
  [
    'FROM scratch',
    'COPY rootfs/ /',
    `LABEL ${Object.entries(labels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ')}`,
    'ENV HOME=/tmp',
    '',
  ].join('\n')

export const natsImageTag = (version: string, hash: string): string => `netsim-nats:${version}-${hash.slice(0, 8)}`
export const nodeImageTag = (hash: string): string => `netsim-node-libs:${hash.slice(0, 8)}`
