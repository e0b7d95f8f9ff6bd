/**
 * The layering check (`npm run lint:layers`, run by CI). sim/ is built in layers, lowest first;
 * a module may import from its own layer and the layers below it, never from above. The table
 * is the architecture: docs/development.md explains each layer.
 */
const LAYERS = [
  ['core', 'contracts and primitives: errors, events, clock, rng, durations, secrets, the cluster/hosts/links contracts, recorder, node state, waits'],
  ['platform', 'the operating system: child processes, IPC, run directories and ownership, atomic writes'],
  ['model', "Bacalhau's behaviour as data and pure functions: profiles, liveness arithmetic, --orchestrators"],
  ['plan', 'the resolved run plan: its types, durations, the fleet layout'],
  ['metrics', 'timings derived from recorded events: pure functions'],
  ['jobs', 'the job protocol, requester, executor and the harness-side workload'],
  ['transports', 'nats and libp2p: orchestrators and compute nodes of one transport each'],
  ['backends', 'process, netns, docker: where hosts live and how links break'],
  ['faults', 'the fault registry: one module per fault type, acting on the contracts'],
  ['fleet', 'compute worker processes holding many simulated nodes'],
  ['steps', 'the step registry: one module per timeline step kind'],
  ['config', 'loading, validating and resolving files and flags into a RunPlan'],
  ['report', 'reporters (console, CSV, HTML) and the report file format'],
  ['run', 'the run lifecycle: prepare, start, timeline, results'],
  ['compare', 'two runs or a run and a baseline, side by side'],
  ['regress', 'the regression set against stored baselines'],
  ['calibrate', 'simulated nodes against real nats.go clients'],
  ['cli', 'the command line'],
]
const names = LAYERS.map(([n]) => n)
const path = (layers) => `^sim/(${layers.join('|')})/`

module.exports = {
  forbidden: [
    ...names.map((layer, i) => ({
      name: `layer-${layer}`,
      comment: `${layer} (${LAYERS[i][1]}) may not import a higher layer`,
      severity: 'error',
      from: { path: path([layer]) },
      to: { path: path(names.slice(i + 1)) },
    })),
    {
      name: 'plugins-apart',
      comment: 'transports, backends and faults are siblings: each acts through the core contracts, never on another',
      severity: 'error',
      from: { path: '^sim/(backends|faults)/' },
      to: { path: '^sim/(transports|backends|faults)/', pathNot: '^sim/$1/' },
    },
    {
      name: 'transports-apart',
      comment: 'one transport never imports the other: what they share lives in core',
      severity: 'error',
      from: { path: '^sim/transports/([^/]+)/' },
      to: { path: '^sim/transports/([^/]+)/', pathNot: '^sim/transports/$1/' },
    },
    {
      name: 'backends-apart',
      comment: 'one backend never imports another: what they share lives in core or platform',
      severity: 'error',
      from: { path: '^sim/backends/(process|netns|docker)/' },
      to: { path: '^sim/backends/(process|netns|docker)/', pathNot: '^sim/backends/$1/' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-tests',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|scripts)/' },
  },
}
