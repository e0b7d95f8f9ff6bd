import type { Argv } from 'yargs'
import { writeRunHtml } from '../report/html/index.ts'
import { writeReportsIndex } from '../report/index/index.ts'
import { NetsimError } from '../core/errors.ts'
import { loadCompareSettings } from './compare-command.ts'
import type { ArgsOf } from './args.ts'

export const reportBuilder = (y: Argv) =>
  y
    .positional('dir', {
      type: 'string',
      describe: 'a report folder: reports/<scenario>/<run-id>; with --index, the reports folder (default: reports)',
    })
    .option('index', { type: 'boolean', describe: 'write <reports>/index.html: the runs, and the trend of every gated metric across regress runs' })
    .option('config', {
      type: 'string',
      describe: 'harness config whose `compare:` tolerances draw the trend thresholds of regress runs that did not record them',
    })

/**
 * `netsim report <dir>`: writes report.html into an existing report folder; `netsim report
 * --index [reports]`: writes the reports index. Prints the file written.
 */
export const reportCommand = async (args: ArgsOf<typeof reportBuilder>): Promise<number> => {
  if (args.index) {
    process.stdout.write(`${await writeReportsIndex(args.dir ?? 'reports', { compare: loadCompareSettings(args.config) })}\n`)
    return 0
  }
  if (args.dir === undefined) throw new NetsimError('E_USAGE', 'name a report folder (reports/<scenario>/<run-id>), or pass --index')
  process.stdout.write(`${await writeRunHtml(args.dir)}\n`)
  return 0
}
