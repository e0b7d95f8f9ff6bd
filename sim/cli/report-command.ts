import type { Argv } from 'yargs'
import { writeRunHtml } from '../report/html/index.ts'
import type { ArgsOf } from './args.ts'

export const reportBuilder = (y: Argv) =>
  y.positional('dir', { type: 'string', demandOption: true, describe: 'a report folder: reports/<scenario>/<run-id>' })

/** `netsim report <dir>`: writes report.html into an existing report folder and prints its path. */
export const reportCommand = async (args: ArgsOf<typeof reportBuilder>): Promise<number> => {
  const file = await writeRunHtml(args.dir)
  process.stdout.write(`${file}\n`)
  return 0
}
