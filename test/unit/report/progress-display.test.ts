import t from 'tap'
import { Writable } from 'node:stream'
import { ProgressDisplay } from '../../../sim/report/progress-display.ts'
import { ConsoleReporter } from '../../../sim/report/console.ts'

const sink = (tty: boolean) => {
  const chunks: string[] = []
  const stream = Object.assign(
    new Writable({
      write(c, _e, cb) {
        chunks.push(String(c))
        cb()
      },
    }),
    {
      isTTY: tty,
      columns: 120,
      cursorTo: () => true,
      moveCursor: () => true,
      clearLine: () => true,
    },
  )
  return { stream, text: () => chunks.join('') }
}

t.test('not a terminal: the first line of a wait, then at most one per interval; a new wait prints at once', async (t) => {
  const s = sink(false)
  let now = 0
  const p = new ProgressDisplay(s.stream, { tty: false, plainEveryMs: 5000, now: () => now })
  for (let k = 0; k <= 20; k++) {
    now = k * 500
    p.show(`  discovered: ${k}/20 nodes (${now / 1000} s)`, { label: 'discovered', done: k, total: 20 })
  }
  t.strictSame(s.text().replace(/\n$/, '').split('\n'), [
    '  discovered: 0/20 nodes (0 s)',
    '  discovered: 10/20 nodes (5 s)',
    '  discovered: 20/20 nodes (10 s)',
  ])
  p.end()
  p.show('  recovered: 0/5 nodes (0 s)', { label: 'recovered', done: 0, total: 5 })
  t.match(s.text(), /recovered: 0\/5/, 'no escape codes, no bar')
  t.notMatch(s.text(), /\x1b/)
})

t.test('a terminal: a bar with counts and an estimate, ended by the next line', async (t) => {
  const s = sink(true)
  const c = new ConsoleReporter({ stream: s.stream })
  c.progress('  discovered: 3/10 nodes', { label: 'discovered', done: 3, total: 10 })
  c.progress('  discovered: 6/10 nodes', { label: 'discovered', done: 6, total: 10 })
  c.line('  discovered: 10/10 nodes in 1.00 s')
  const out = s.text()
  t.match(out, /discovered \[[█░]+\] [36]\/10 \| \d+ s/, 'the bar, the counts, the time so far')
  t.match(out, /\x1b\[2K[^█]* {2}discovered: 10\/10 nodes in 1\.00 s\n$/, 'the closing line replaces the bar')
})

t.test('quiet: nothing', async (t) => {
  const s = sink(true)
  const c = new ConsoleReporter({ stream: s.stream, quiet: true })
  c.progress('x', { label: 'x', done: 1, total: 2 })
  c.line('y')
  t.equal(s.text(), '')
})
