import t from 'tap'
import { join } from 'node:path'
import { z } from 'zod'
import { NetsimError } from '../../../sim/core/errors.ts'
import { YamlFile, formatPath } from '../../../sim/config/yaml-file.ts'

/** the type of a (sub)test's `t` */
type TapTest = Parameters<Parameters<typeof t.test>[0]>[0]

const configError = (t: TapTest, fn: () => unknown): NetsimError | undefined => {
  try {
    fn()
    t.fail('expected an E_CONFIG error')
  } catch (e) {
    t.ok(e instanceof NetsimError, 'a NetsimError')
    t.equal((e as NetsimError).code, 'E_CONFIG')
    return e as NetsimError
  }
  return undefined
}

const text = ['name: x', 'groups:', '  - name: a', '    count: 3', '  - name: b', '    count: 4', ''].join('\n')

t.test('data', async (t) => {
  t.strictSame(YamlFile.parse('/x/s.yaml', text).data(), {
    name: 'x',
    groups: [
      { name: 'a', count: 3 },
      { name: 'b', count: 4 },
    ],
  })
  t.strictSame(YamlFile.parse('/x/empty.yaml', '').data(), {}, 'empty file: empty object')
  t.strictSame(YamlFile.parse('/x/c.yaml', '# only a comment\n').data(), {})
})

t.test('where: line and column of a path, or of its nearest ancestor', async (t) => {
  const y = YamlFile.parse('/x/s.yaml', text)
  t.equal(y.where(['name']), '/x/s.yaml:1:7')
  t.equal(y.where(['groups']), '/x/s.yaml:3:3')
  t.equal(y.where(['groups', 1]), '/x/s.yaml:5:5')
  t.equal(y.where(['groups', 1, 'count']), '/x/s.yaml:6:12')
  t.equal(y.where(['groups', 1, 'colour']), '/x/s.yaml:5:5', 'missing key: its map')
  t.equal(y.where(['groups', 7, 'count']), '/x/s.yaml:3:3', 'missing item: the list')
  t.equal(y.where([]), '/x/s.yaml:1:1')
})

t.test('file names are shown relative to the working directory when inside it', async (t) => {
  const y = YamlFile.parse(join(process.cwd(), 'scenarios', 'z.yaml'), 'a: 1\n')
  t.equal(y.where(['a']), 'scenarios/z.yaml:1:4')
})

t.test('formatPath', async (t) => {
  t.equal(formatPath([]), '')
  t.equal(formatPath(['groups']), 'groups: ')
  t.equal(formatPath(['groups', 0, 'name']), 'groups[0].name: ')
  t.equal(formatPath(['timeline', 1]), 'timeline[1]: ')
  t.equal(formatPath(['a', 'b', 2, 3, 'c']), 'a.b[2][3].c: ')
})

t.test('fail: one issue on one line, several listed', async (t) => {
  const y = YamlFile.parse('/x/s.yaml', text)
  const one = configError(t, () => y.fail([{ path: ['groups', 1, 'count'], message: 'too big' }]))
  t.equal(one?.message, '/x/s.yaml:6:12: groups[1].count: too big')
  t.equal(one?.where, '/x/s.yaml:6:12')
  const two = configError(t, () =>
    y.fail([
      { path: ['name'], message: 'bad' },
      { path: ['groups', 0], message: 'worse' },
    ]),
  )
  t.equal(two?.message, '/x/s.yaml is invalid:\n  /x/s.yaml:1:7: name: bad\n  /x/s.yaml:3:5: groups[0]: worse')
  t.equal(two?.where, '/x/s.yaml:1:7', 'where: the first issue')
})

t.test('validate: located zod issues', async (t) => {
  const y = YamlFile.parse('/x/s.yaml', text)
  const schema = z.object({ name: z.string(), groups: z.array(z.object({ name: z.string(), count: z.number().max(3) })) })
  const e = configError(t, () => y.validate(schema))
  t.match(e?.message, /^\/x\/s\.yaml:6:12: groups\[1\]\.count: /)
  t.strictSame(y.validate(z.object({ name: z.string() })), { name: 'x' }, 'returns the parsed data')
  const sub = configError(t, () => y.validate(z.number(), 'nope', ['groups', 0, 'name']))
  t.match(sub?.message, /^\/x\/s\.yaml:3:11: groups\[0\]\.name: /, 'base path prefixes the issue')
})

t.test('malformed YAML: E_CONFIG', async (t) => {
  const cases = ['a: 1\na: 2\n', 'a: [1\n', 'a: "x\n', 'a:\n  b: 1\n c: 2\n']
  for (const c of cases) {
    const e = configError(t, () => YamlFile.parse('/x/bad.yaml', c))
    t.match(e?.message, /^\/x\/bad\.yaml(:\d+:\d+)?: malformed YAML: \S/, JSON.stringify(c))
  }
})

t.test('malformed YAML is located at file:line:col', async (t) => {
  // YamlFile.parse reads `error.linePos`, which the yaml library only fills in with
  // prettyErrors: true; with prettyErrors: false (as parse sets it) the position is lost.
  t.test('malformed YAML errors carry line:col', async (t) => {
    const e = configError(t, () => YamlFile.parse('/x/bad.yaml', 'a: 1\nb: 2\na: 3\n'))
    t.match(e?.message, /^\/x\/bad\.yaml:3:1: malformed YAML: Map keys must be unique/)
    t.equal(e?.where, '/x/bad.yaml:3:1')
  })
})

t.test('read: a missing file is E_CONFIG', async (t) => {
  const dir = t.testdir({ 'ok.yaml': 'a: 1\n' })
  t.strictSame(YamlFile.read(join(dir, 'ok.yaml')).data(), { a: 1 })
  const e = configError(t, () => YamlFile.read(join(dir, 'missing.yaml')))
  t.match(e?.message, /cannot read .*missing\.yaml: ENOENT/)
})
