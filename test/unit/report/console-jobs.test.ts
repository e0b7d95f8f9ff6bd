import t from 'tap'
import { ReporterBus } from '../../../sim/report/reporter.ts'
import { Writable } from 'node:stream'
import { ConsoleReporter } from '../../../sim/report/console.ts'

const capture = (opts: { quiet?: boolean } = {}) => {
  let text = ''
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk)
      cb()
    },
  })
  return { c: new ConsoleReporter({ stream, ...opts }), text: () => text }
}

t.test('jobs(): outcomes with reasons, and lost jobs that ran on their node', async (t) => {
  const { c, text } = capture()
  c.jobs({
    submitted: 10,
    complete: 2,
    failed: { no_responders: 1, no_nodes: 2 },
    lost: { orchestrator_gone: 2, late: 1, no_outcome: 2 },
    lostAfterNodeDone: 1,
  })
  t.equal(
    text(),
    '\njobs: 10 submitted, 2 completed, 3 failed (1 no_responders, 2 no_nodes), 5 lost (2 orchestrator_gone, 1 late, 2 no_outcome)\n' +
      '  1 of the lost jobs ran to the end on their node: the callback went to an orchestrator that was gone\n',
  )
})

t.test('jobs(): nothing failed or lost: no lists, no second line', async (t) => {
  const { c, text } = capture()
  c.jobs({ submitted: 3, complete: 3, failed: {}, lost: {}, lostAfterNodeDone: 0 })
  t.equal(text(), '\njobs: 3 submitted, 3 completed, 0 failed, 0 lost\n')
})

t.test('jobs(): silent with no jobs or when quiet', async (t) => {
  const none = capture()
  none.c.jobs({ submitted: 0, complete: 0, failed: {}, lost: {}, lostAfterNodeDone: 0 })
  t.equal(none.text(), '')
  const quiet = capture({ quiet: true })
  quiet.c.jobs({ submitted: 3, complete: 3, failed: {}, lost: {}, lostAfterNodeDone: 0 })
  t.equal(quiet.text(), '')
})

t.test('the reporter bus redacts every line once, before any reporter sees it', async (t) => {
  const seen: string[] = []
  const bus = new ReporterBus(
    [{ onLine: (l) => seen.push(`a:${l}`) }, { onLine: (l) => seen.push(`b:${l}`), onProgress: (l) => seen.push(`p:${l}`) }],
    (s) => s.replace(/s3cret/g, '***'),
  )
  bus.line('token s3cret here')
  bus.progress('s3cret s3cret')
  t.strictSame(seen, ['a:token *** here', 'b:token *** here', 'p:*** ***'])
})
