import { join, resolve } from 'node:path'
import type { Argv } from 'yargs'
import { compareReports } from '../compare/compare-reports.ts'
import { formatCompareTable } from '../compare/format-table.ts'
import { CompareSettingsSchema, type CompareSettings } from '../config/compare-settings.ts'
import { loadHarnessConfig } from '../config/load.ts'
import { writeFileAtomic } from '../platform/atomic-dir.ts'
import { renderCompareHtml } from '../report/html/compare-html.ts'
import type { ArgsOf } from './args.ts'

export const compareBuilder = (y: Argv) =>
  y
    .positional('a', {
      type: 'string',
      demandOption: true,
      describe: 'reference: a report folder, or a baseline CSV (reports/baselines/<scenario>.csv)',
    })
    .positional('b', {
      type: 'string',
      demandOption: true,
      describe: 'candidate: a report folder, or a baseline CSV; "regressed" means B is worse than A',
    })
    .option('out', { type: 'string', describe: "folder for compare.csv and compare.html (default: B's report folder, else A's)" })
    .option('config', { type: 'string', describe: 'harness config whose `compare:` key holds alpha and tolerances (default: ./harness.config.yaml)' })

export type CompareArgs = ArgsOf<typeof compareBuilder>

/** The `compare:` settings of the harness config (none: the built-in defaults). */
export const loadCompareSettings = (config?: string): CompareSettings => CompareSettingsSchema.parse(loadHarnessConfig(config).settings.compare ?? {})

/**
 * `netsim compare <a> <b>`: compares B (candidate) with A (reference), prints the table
 * (stderr), writes compare.csv, compare.json and compare.html into `--out`, or B's report
 * folder, or A's when B is a baseline, and prints a last line (stdout) with the verdict and
 * where the files are. Exit code 1 when any metric regressed, 0 otherwise.
 */
export const compareCommand = async (args: CompareArgs): Promise<number> => {
  const settings = loadCompareSettings(args.config)
  const r = compareReports(args.a, args.b, { settings, ...(args.out === undefined ? {} : { out: args.out }) })
  process.stderr.write(`netsim compare ${r.a.scenario}: A ${r.a.label} vs B ${r.b.label} (alpha ${settings.alpha})\n`)
  for (const n of r.notes) process.stderr.write(`  note: ${n}\n`)
  process.stderr.write(`\n${formatCompareTable(r.rows)}\n`)
  let where = ''
  if (r.csvPath !== null) {
    const dir = resolve(r.csvPath, '..')
    const html = await renderCompareHtml(r.rows, r.a.samples, r.b.samples, { a: r.a.label, b: r.b.label, scenario: r.a.scenario, notes: r.notes })
    writeFileAtomic(join(dir, 'compare.html'), html)
    where = `: compare.csv in ${dir}`
    if (r.replaced !== null) process.stderr.write(`  note: replaced the compare against ${r.replaced} in ${dir} (--out keeps compares apart)\n`)
  }
  const bad = r.regressions
  process.stdout.write(
    bad.length > 0
      ? `FAIL compare ${r.a.scenario}: ${bad.length} regressed (${bad.map((x) => `${x.group}.${x.metric}`).join(', ')})${where}\n`
      : `PASS compare ${r.a.scenario}: no regression${where}\n`,
  )
  return bad.length > 0 ? 1 : 0
}
