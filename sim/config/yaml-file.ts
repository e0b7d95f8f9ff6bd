import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { LineCounter, parseDocument, isNode, type Document } from 'yaml'
import type { z } from 'zod'
import { NetsimError } from '../errors.ts'

export type Path = (string | number)[]
export interface Issue {
  path: Path
  message: string
}

/**
 * A YAML file kept with its positions, so every validation problem can be reported as
 * `file:line:col: field: what was expected`.
 */
export class YamlFile {
  readonly file: string
  readonly doc: Document
  readonly #lines: LineCounter

  private constructor(file: string, doc: Document, lines: LineCounter) {
    this.file = file
    this.doc = doc
    this.#lines = lines
  }

  static read(file: string): YamlFile {
    let text: string
    try {
      text = readFileSync(file, 'utf8')
    } catch (err) {
      throw new NetsimError('E_CONFIG', `cannot read ${display(file)}: ${(err as Error).message}`, { cause: err })
    }
    return YamlFile.parse(file, text)
  }

  static parse(file: string, text: string): YamlFile {
    const lines = new LineCounter()
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true })
    const f = new YamlFile(file, doc, lines)
    const first = doc.errors[0]
    if (first) {
      const pos = first.linePos?.[0]
      const where = pos ? `${display(file)}:${pos.line}:${pos.col}` : display(file)
      throw new NetsimError('E_CONFIG', `${where}: malformed YAML: ${first.message.split('\n')[0]}`, { where })
    }
    return f
  }

  /** The plain data (empty file: an empty object). */
  data(): unknown {
    return this.doc.toJS() ?? {}
  }

  /** `file:line:col` of the value at `path`, or of the nearest ancestor that exists. */
  where(path: Path): string {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true)
      if (isNode(node) && node.range) {
        const { line, col } = this.#lines.linePos(node.range[0])
        return `${display(this.file)}:${line}:${col}`
      }
    }
    return display(this.file)
  }

  /** One error for all issues, each on its own line with its position. */
  fail(issues: Issue[]): never {
    const lines = issues.map((i) => `${this.where(i.path)}: ${formatPath(i.path)}${i.message}`)
    throw new NetsimError('E_CONFIG', lines.length === 1 ? (lines[0] as string) : `${display(this.file)} is invalid:\n  ${lines.join('\n  ')}`, {
      where: this.where(issues[0]?.path ?? []),
    })
  }

  /** Validates with a zod schema; throws located errors. */
  validate<T extends z.ZodType>(schema: T, data: unknown = this.data(), base: Path = []): z.infer<T> {
    const r = schema.safeParse(data)
    if (r.success) return r.data
    this.fail(r.error.issues.map((i) => ({ path: [...base, ...(i.path as Path)], message: i.message })))
  }
}

export const formatPath = (path: Path): string =>
  path.length === 0 ? '' : `${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}: `

const display = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') ? file : rel
}
