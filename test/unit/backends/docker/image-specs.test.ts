import t from 'tap'
import { dockerfile, imageFiles, lddPaths, natsImageTag, nodeImageTag } from '../../../../sim/backends/docker/image-specs.ts'

const NODE_LDD = `	linux-vdso.so.1 (0x00007f1b825d2000)
	libdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f1b825bb000)
	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f1b82200000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f1b8201e000)
	/lib64/ld-linux-x86-64.so.2 (0x00007f1b825d4000)
`
const NATS_LDD = `	linux-vdso.so.1 (0x00007ff86c3b3000)
	libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007ff86c1bf000)
	/lib64/ld-linux-x86-64.so.2 (0x00007ff86c3b5000)
`

t.test("ldd's output: the libraries and the loader, not the vdso", async (t) => {
  t.same(lddPaths(NODE_LDD), [
    '/lib/x86_64-linux-gnu/libdl.so.2',
    '/lib/x86_64-linux-gnu/libstdc++.so.6',
    '/lib/x86_64-linux-gnu/libc.so.6',
    '/lib64/ld-linux-x86-64.so.2',
  ])
  t.same(lddPaths('\tstatically linked\n'), [])
})

t.test('image files: each binary at its path, shared libraries once, sorted', async (t) => {
  const files = imageFiles([
    { path: '/work/netsim/node_modules/node/bin/node', ldd: NODE_LDD },
    { path: '/usr/sbin/nats-server', ldd: NATS_LDD },
  ])
  t.same(
    files.map((f) => f.dest),
    [
      '/lib/x86_64-linux-gnu/libc.so.6',
      '/lib/x86_64-linux-gnu/libdl.so.2',
      '/lib/x86_64-linux-gnu/libstdc++.so.6',
      '/lib64/ld-linux-x86-64.so.2',
      '/usr/sbin/nats-server',
      '/work/netsim/node_modules/node/bin/node',
    ],
  )
})

t.test('tags name the content; the Dockerfile needs no base image', async (t) => {
  t.equal(natsImageTag('2.9.10', '9dbc362a0123'), 'netsim-nats:2.9.10-9dbc362a')
  t.equal(nodeImageTag('5d062136ffff'), 'netsim-node-libs:5d062136')
  const df = dockerfile({ 'netsim.image': 'nats' })
  t.match(df, /^FROM scratch\nCOPY rootfs\/ \/\nLABEL netsim.image="nats"\n/)
  t.notMatch(df, /RUN|ADD http/, 'nothing runs or downloads at build time')
})
