import { readFileSync, renameSync, writeFileSync } from 'node:fs'
import { makeDirs } from '../platform/make-dirs.ts'
import { join, resolve } from 'node:path'
import { NetsimError } from '../core/errors.ts'
import { compareCsv, type CompareMeta } from '../report/format/compare-csv.ts'
import { compareSides, type CompareRow } from './compare-sides.ts'
import { loadSide, type CompareSide } from './load-side.ts'
import { parseCompareSettings, type CompareSettings, type CompareSettingsInput } from '../config/compare-settings.ts'

export interface CompareOptions {
  /** the `compare:` settings (validated here; defaults for what is left out) */
  settings?: CompareSettingsInput | CompareSettings
  /**
   * Where compare.csv (and compare.json) go: a folder (created if needed); `null` writes
   * nothing. Default: B's report folder, else A's when B is a baseline; nothing when both are
   * baselines.
   */
  out?: string | null
}

export interface CompareResult {
  rows: CompareRow[]
  /** differences in how the sides were run (transport, profile, nodes, ...) that do not stop a compare */
  notes: string[]
  a: CompareSide
  b: CompareSide
  settings: CompareSettings
  /** the compare.csv written, or null */
  csvPath: string | null
  /** A of the compare this one replaced in the same folder, when it was another reference (the CLI says so) */
  replaced: string | null
  /** rows whose verdict is `regressed` */
  regressions: CompareRow[]
}

/** The reference of a compare already in `dir`, when it is not `a` (a compare against the same A is just redone). */
const earlierCompare = (dir: string, a: string): string | null => {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareMeta
    return meta.a.path === a ? null : meta.a.path
  } catch {
    return null
  }
}

/** compare.json: which reports were compared, so that the HTML report of B can overlay A. */
export type { CompareMeta } from '../report/format/compare-csv.ts'

const writeAtomically = (file: string, text: string): void => {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

/**
 * Compares report A (the reference: an earlier run or a baseline CSV) with report B (the
 * candidate). `regressed` means B is worse than A. Either may be a report folder
 * (`reports/<scenario>/<run-id>/`) or a baseline CSV (samples.csv's columns, runs pooled).
 * Throws NetsimError E_USAGE for reports that cannot be compared (different scenarios or metric
 * sets, not a report folder) and E_CONFIG for a missing or corrupt baseline or report file.
 */
export const compareReports = (a: string, b: string, opts: CompareOptions = {}): CompareResult => {
  const settings = parseCompareSettings(opts.settings ?? {})
  const A = loadSide(a)
  const B = loadSide(b)
  const { rows, notes } = compareSides(A, B, settings)
  const outDir = opts.out === undefined ? (B.dir ?? A.dir) : opts.out === null ? null : resolve(opts.out)
  let csvPath: string | null = null
  let replaced: string | null = null
  if (outDir !== null) {
    try {
      makeDirs(outDir)
      csvPath = join(outDir, 'compare.csv')
      replaced = earlierCompare(outDir, A.path)
      writeAtomically(csvPath, compareCsv(rows))
      const meta: CompareMeta = {
        a: { path: A.path, kind: A.kind, label: A.label },
        b: { path: B.path, kind: B.kind, label: B.label },
        scenario: A.scenario,
        settings,
        notes,
        regressed: rows.filter((r) => r.verdict === 'regressed').length,
        created_at: new Date().toISOString(),
      }
      writeAtomically(join(outDir, 'compare.json'), JSON.stringify(meta, null, 2) + '\n')
    } catch (err) {
      throw new NetsimError('E_USAGE', `cannot write compare.csv into ${outDir}: ${(err as Error).message}`, { cause: err })
    }
  }
  return { rows, notes, a: A, b: B, settings, csvPath, replaced, regressions: rows.filter((r) => r.verdict === 'regressed') }
}

/** A run against its scenario's stored baseline: the baseline is A (reference), the run B. */
export const compareToBaseline = (runDir: string, baselineFile: string, opts: CompareOptions = {}): CompareResult =>
  compareReports(baselineFile, runDir, opts)
