/**
 * The bad-input table of the fuzz tier (docs/development.md, "Bad input"): each row is a
 * command a user might type, with the files it reads. Every one must be refused with exit 64
 * (bad command-line input) or 65 (a bad file) within a few seconds, with a message naming the
 * input, before anything starts: no process, namespace, run directory or partial report.
 *
 * `$D` in arguments, files and environment is the case's own temp folder.
 */
export interface BadInput {
  name: string
  kind: 'flag' | 'scenario file' | 'config file' | 'token source' | 'compare CSV'
  args: string[]
  files?: Record<string, string>
  env?: Record<string, string>
  exit: 64 | 65
  /** what the message must say: the input it names and what was expected */
  message: RegExp
}

const GROUP = 'groups:\n  - name: compute\n    count: 4\n'
const SAMPLES = 'run_id,scenario,group,node,metric,value_ms\n'
const run = (id: string, scenario: string, rows: string[]) => ({
  [`${id}/samples.csv`]: SAMPLES + rows.join('\n') + (rows.length ? '\n' : ''),
  [`${id}/run.json`]: JSON.stringify({ run_id: id, scenario, passed: true, seed: 1, config: {} }),
})
const rows = (id: string, scenario: string, metric: string, n = 5) =>
  Array.from({ length: n }, (_, i) => `${id},${scenario},compute,n${i},${metric},${10 + i}.000`)

export const BAD_INPUTS: BadInput[] = [
  // flags
  {
    name: '--nodes 0',
    kind: 'flag',
    args: ['scenario', 'failover', '--nodes', '0'],
    exit: 64,
    message: /--nodes: expected a whole number >= 1, got 0/,
  },
  {
    name: '--nodes -5',
    kind: 'flag',
    args: ['scenario', 'failover', '--nodes', '-5'],
    exit: 64,
    message: /--nodes: expected a whole number >= 1, got -5/,
  },
  {
    name: '--nodes 2.5',
    kind: 'flag',
    args: ['scenario', 'failover', '--nodes', '2.5'],
    exit: 64,
    message: /--nodes: expected a whole number >= 1, got 2\.5/,
  },
  {
    name: '--nodes abc',
    kind: 'flag',
    args: ['scenario', 'failover', '--nodes', 'abc'],
    exit: 64,
    message: /--nodes: expected a whole number >= 1, got NaN/,
  },
  {
    name: '--nodes 1e9 (more than the machine holds)',
    kind: 'flag',
    args: ['scenario', 'failover', '--nodes', '1e9'],
    exit: 64,
    message: /--nodes 1000000000: this machine holds at most \d+ nodes in a run \(/,
  },
  {
    name: '--orchestrators 0',
    kind: 'flag',
    args: ['scenario', 'failover', '--orchestrators', '0'],
    exit: 64,
    message: /--orchestrators: expected a whole number from 1 to 32, got 0/,
  },
  {
    name: '--orchestrators 33',
    kind: 'flag',
    args: ['scenario', 'failover', '--orchestrators', '33'],
    exit: 64,
    message: /--orchestrators: expected a whole number from 1 to 32, got 33/,
  },
  {
    name: '--network tcp',
    kind: 'flag',
    args: ['scenario', 'failover', '--network', 'tcp'],
    exit: 64,
    message: /network.*Given: "tcp", Choices: "nats", "libp2p"/s,
  },
  { name: '--backend vm', kind: 'flag', args: ['scenario', 'failover', '--backend', 'vm'], exit: 64, message: /backend.*Given: "vm"/s },
  { name: '--profile v9', kind: 'flag', args: ['scenario', 'failover', '--profile', 'v9'], exit: 64, message: /profile.*Given: "v9"/s },
  { name: '--fault nuke', kind: 'flag', args: ['scenario', 'failover', '--fault', 'nuke'], exit: 64, message: /fault.*Given: "nuke"/s },
  { name: '--time-scale 0', kind: 'flag', args: ['scenario', 'failover', '--time-scale', '0'], exit: 64, message: /--time-scale: .*0/ },
  { name: '--time-scale -1', kind: 'flag', args: ['scenario', 'failover', '--time-scale', '-1'], exit: 64, message: /--time-scale: / },
  { name: '--workers 0', kind: 'flag', args: ['scenario', 'failover', '--workers', '0'], exit: 64, message: /--workers: / },
  {
    name: '--repeat 0',
    kind: 'flag',
    args: ['scenario', 'failover', '--repeat', '0'],
    exit: 64,
    message: /--repeat: expected a whole number >= 1, got 0/,
  },
  { name: '--seed -1', kind: 'flag', args: ['scenario', 'failover', '--seed', '-1'], exit: 64, message: /--seed: / },
  {
    name: '--out /proc/x (unwritable, and recursive mkdir never returns there)',
    kind: 'flag',
    args: ['scenario', 'failover', '--out', '/proc/x'],
    exit: 64,
    message: /--out \/proc\/x: cannot create it \(ENOENT\)/,
  },
  { name: '--out /sys/x', kind: 'flag', args: ['scenario', 'failover', '--out', '/sys/x'], exit: 64, message: /--out \/sys\/x: cannot create it/ },
  {
    name: '--out a file',
    kind: 'flag',
    args: ['scenario', 'failover', '--out', '$D/afile'],
    files: { afile: 'x' },
    exit: 64,
    message: /--out .*afile: is a file, not a folder/,
  },
  {
    name: '--config that does not exist',
    kind: 'flag',
    args: ['scenario', 'failover', '--config', '$D/typo.yaml'],
    exit: 65,
    message: /--config .*typo\.yaml: no such file/,
  },
  {
    name: '--replay a missing file',
    kind: 'flag',
    args: ['scenario', 'chaos', '--replay', '$D/nope.json'],
    exit: 64,
    message: /--replay .*nope\.json: cannot read it as a run\.json: ENOENT/,
  },
  {
    name: '--jobs on a scenario without a jobs step',
    kind: 'flag',
    args: ['scenario', 'discovery', '--jobs'],
    exit: 64,
    message: /--jobs: scenario discovery has no jobs step/,
  },
  { name: 'an unknown scenario', kind: 'flag', args: ['scenario', 'failovr'], exit: 64, message: /unknown scenario "failovr"\. Available: / },
  { name: 'an unknown flag', kind: 'flag', args: ['scenario', 'failover', '--colour', 'red'], exit: 64, message: /Unknown arguments?: colour/ },
  { name: 'regress --runs 0', kind: 'flag', args: ['regress', '--runs', '0'], exit: 64, message: /--runs: expected a whole number >= 1, got 0/ },
  { name: 'regress --timer with a typo', kind: 'flag', args: ['regress', '--timer', 'ping_intervall=4s'], exit: 64, message: /ping_intervall/ },
  {
    name: 'baseline update of a scenario not in the set',
    kind: 'flag',
    args: ['baseline', 'update', 'chaos'],
    exit: 64,
    message: /chaos is not in the regression set/,
  },

  // scenario files
  {
    name: 'malformed YAML',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': 'groups: [\n' },
    exit: 65,
    message: /s\.yaml:\d+:\d+: /,
  },
  { name: 'an empty scenario file', kind: 'scenario file', args: ['scenario', '$D/s.yaml'], files: { 's.yaml': '' }, exit: 65, message: /s\.yaml/ },
  {
    name: 'an unknown key in a group',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}    colour: blue\n` },
    exit: 65,
    message: /s\.yaml:4:5: groups\[0\]\.colour: Unrecognized key/,
  },
  {
    name: 'groups of 0 nodes in all',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': 'groups:\n  - name: a\n    count: 0\n' },
    exit: 65,
    message: /s\.yaml:\d+:\d+: groups: the groups hold 0 nodes in all/,
  },
  {
    name: "wait: 40000m (past Node's longest timer)",
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}timeline:\n  - wait: 40000m\n` },
    exit: 65,
    message: /s\.yaml:5:\d+: .*"40000m" is longer than the longest timer Node can set/,
  },
  {
    name: 'a negative duration',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}timeline:\n  - wait: -3s\n` },
    exit: 65,
    message: /s\.yaml:5:\d+: .*expected a duration >= 0/,
  },
  {
    name: 'an unknown timer in a duration',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}timeline:\n  - wait: 2 * ping_intervall\n` },
    exit: 65,
    message: /unknown timer "ping_intervall"/,
  },
  {
    name: 'a fault on an orchestrator that does not exist',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}timeline:\n  - fault: kill\n    target: orch-9\n` },
    exit: 65,
    message: /orch-9/,
  },
  {
    name: 'an unknown step',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}timeline:\n  - teleport: now\n` },
    exit: 65,
    message: /s\.yaml:5:\d+: timeline\[0\]/,
  },
  {
    name: 'an assertion on an unknown metric',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}assertions:\n  - { metric: warp_ms, stat: p50, max: 1s }\n` },
    exit: 65,
    message: /s\.yaml:5:\d+: assertions\[0\]\.metric: unknown metric "warp_ms" \(known: connect_ms, /s,
  },
  {
    name: 'a group defined twice',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}  - name: compute\n    count: 2\n` },
    exit: 65,
    message: /group "compute" is defined twice/,
  },
  {
    name: 'seeds naming an orchestrator that does not start',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}    seeds: [orch-7]\n` },
    exit: 65,
    message: /orch-7 does not exist at start/,
  },
  {
    name: 'resources off the docker backend',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `orchestrators:\n  resources: { cpus: 0.5 }\n${GROUP}` },
    exit: 65,
    message: /orchestrators\.resources: per-host CPU and memory limits .*use --backend docker/,
  },
  {
    name: 'a memory size that is not one',
    kind: 'scenario file',
    args: ['scenario', '$D/s.yaml', '--backend', 'docker'],
    files: { 's.yaml': `${GROUP}    resources: { memory: lots }\n` },
    exit: 65,
    message: /groups\[0\]\.resources\.memory: expected a size such as 256m or 1g/,
  },

  // harness config files
  {
    name: 'an unknown key in the harness config',
    kind: 'config file',
    args: ['scenario', 'failover', '--config', '$D/h.yaml'],
    files: { 'h.yaml': 'profle: v1.5\n' },
    exit: 65,
    message: /h\.yaml:1:1: .*profle/,
  },
  {
    name: 'a timer that is not a duration',
    kind: 'config file',
    args: ['scenario', 'failover', '--config', '$D/h.yaml'],
    files: { 'h.yaml': 'timers:\n  ping_interval: banana\n' },
    exit: 65,
    message: /h\.yaml:2:\d+: timers\.ping_interval/,
  },
  {
    name: 'compare.alpha out of range',
    kind: 'config file',
    args: ['compare', '$D/a', '$D/b', '--config', '$D/h.yaml'],
    files: {
      'h.yaml': 'compare:\n  alpha: 2\n',
      ...run('a', 'failover', rows('a', 'failover', 'detect_ms')),
      ...run('b', 'failover', rows('b', 'failover', 'detect_ms')),
    },
    exit: 65,
    message: /compare\.alpha/,
  },
  {
    name: 'a regression set with no scenarios',
    kind: 'config file',
    args: ['regress', '--config', '$D/h.yaml'],
    files: { 'h.yaml': 'regress:\n  scenarios: []\n' },
    exit: 65,
    message: /regress\.scenarios/,
  },
  {
    name: 'malformed YAML in the harness config',
    kind: 'config file',
    args: ['scenario', 'failover', '--config', '$D/h.yaml'],
    files: { 'h.yaml': 'timers: {\n' },
    exit: 65,
    message: /h\.yaml:\d+:\d+/,
  },

  // token sources
  {
    name: '--token of spaces',
    kind: 'token source',
    args: ['scenario', 'failover', '--token', '   '],
    exit: 64,
    message: /--token holds only whitespace \(3 characters\)/,
  },
  {
    name: '--token with a line break',
    kind: 'token source',
    args: ['scenario', 'failover', '--token', 'a\nb'],
    exit: 64,
    message: /--token holds a line break/,
  },
  {
    name: '--token-file holding only newlines',
    kind: 'token source',
    args: ['scenario', 'failover', '--token-file', '$D/tok'],
    files: { tok: '\n\n' },
    exit: 65,
    message: /--token-file: token file .*tok holds only whitespace/,
  },
  {
    name: '--token-file that does not exist',
    kind: 'token source',
    args: ['scenario', 'failover', '--token-file', '$D/none'],
    exit: 65,
    message: /--token-file: cannot read token file .*none: ENOENT/,
  },
  {
    name: '--token-file that is empty',
    kind: 'token source',
    args: ['scenario', 'failover', '--token-file', '$D/tok'],
    files: { tok: '' },
    exit: 65,
    message: /token file .*tok is empty/,
  },
  {
    name: 'NETSIM_AUTH_TOKEN set but empty',
    kind: 'token source',
    args: ['scenario', 'failover'],
    env: { NETSIM_AUTH_TOKEN: '' },
    exit: 64,
    message: /NETSIM_AUTH_TOKEN is set but empty/,
  },
  {
    name: 'NETSIM_AUTH_TOKEN of spaces',
    kind: 'token source',
    args: ['scenario', 'failover'],
    env: { NETSIM_AUTH_TOKEN: '  ' },
    exit: 64,
    message: /NETSIM_AUTH_TOKEN holds only whitespace/,
  },
  {
    name: 'authsecret of spaces in a scenario',
    kind: 'token source',
    args: ['scenario', '$D/s.yaml'],
    files: { 's.yaml': `${GROUP}node:\n  network:\n    authsecret: "  "\n` },
    exit: 65,
    message: /s\.yaml:\d+:\d+: node\.network\.authsecret holds only whitespace/,
  },

  // CSVs for compare
  {
    name: 'a candidate whose samples.csv has only its header',
    kind: 'compare CSV',
    args: ['compare', '$D/a', '$D/b'],
    files: { ...run('a', 'failover', rows('a', 'failover', 'detect_ms')), ...run('b', 'failover', []) },
    exit: 65,
    message: /b\/samples\.csv holds no samples/,
  },
  {
    name: 'a baseline with only its header',
    kind: 'compare CSV',
    args: ['compare', '$D/base.csv', '$D/b'],
    files: { 'base.csv': SAMPLES, ...run('b', 'failover', rows('b', 'failover', 'detect_ms')) },
    exit: 65,
    message: /base\.csv holds no samples/,
  },
  {
    name: 'a baseline with the wrong columns',
    kind: 'compare CSV',
    args: ['compare', '$D/base.csv', '$D/b'],
    files: { 'base.csv': 'run_id,scenario,node\nx,failover,n1\n', ...run('b', 'failover', rows('b', 'failover', 'detect_ms')) },
    exit: 65,
    message: /corrupt baseline/,
  },
  {
    name: 'a value that is not a number',
    kind: 'compare CSV',
    args: ['compare', '$D/a', '$D/b'],
    files: { ...run('a', 'failover', rows('a', 'failover', 'detect_ms')), ...run('b', 'failover', ['b,failover,compute,n1,detect_ms,fast']) },
    exit: 65,
    message: /samples\.csv:2: value_ms "fast" is not a number/,
  },
  {
    name: 'an unterminated quote',
    kind: 'compare CSV',
    args: ['compare', '$D/base.csv', '$D/b'],
    files: { 'base.csv': `${SAMPLES}"x,failover\n`, ...run('b', 'failover', rows('b', 'failover', 'detect_ms')) },
    exit: 65,
    message: /malformed CSV/,
  },
  {
    name: 'two different scenarios',
    kind: 'compare CSV',
    args: ['compare', '$D/a', '$D/b'],
    files: { ...run('a', 'failover', rows('a', 'failover', 'detect_ms')), ...run('b', 'discovery', rows('b', 'discovery', 'detect_ms')) },
    exit: 64,
    message: /cannot compare different scenarios: A \(a\) is "failover", B \(b\) is "discovery"/,
  },
  {
    name: 'a path that is neither a report nor a baseline',
    kind: 'compare CSV',
    args: ['compare', '$D/nothing', '$D/b'],
    files: run('b', 'failover', rows('b', 'failover', 'detect_ms')),
    exit: 64,
    message: /no report folder or baseline at .*nothing/,
  },
]
