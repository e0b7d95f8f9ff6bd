import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { LineCounter, parseDocument, isMap, isNode, isScalar, type Document } from 'yaml'
import type { z } from 'zod'
import { NetsimError } from '../core/errors.ts'

export type Path = (string | number)[]
export interface Issue {
  path: Path
  message: string
  /** point at the map key named last in `path` rather than at its value (an unknown key) */
  atKey?: boolean
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
      const pos = first.linePos?.[0] ?? lines.linePos(first.pos[0])
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
  where(path: Path, atKey = false): string {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : atKey && n === path.length ? this.#key(path) : this.doc.getIn(path.slice(0, n), true)
      if (isNode(node) && node.range) {
        const { line, col } = this.#lines.linePos(node.range[0])
        return `${display(this.file)}:${line}:${col}`
      }
    }
    return display(this.file)
  }

  /** The node of the map key named last in `path`. */
  #key(path: Path): unknown {
    const last = path.at(-1)
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true)
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last)
      if (pair && isNode(pair.key)) return pair.key
    }
    return this.doc.getIn(path, true)
  }

  /** One error for all issues, each on its own line with its position. */
  fail(issues: Issue[]): never {
    const lines = issues.map((i) => `${this.where(i.path, i.atKey)}: ${formatPath(i.path)}${i.message}`)
    throw new NetsimError('E_CONFIG', lines.length === 1 ? (lines[0] as string) : `${display(this.file)} is invalid:\n  ${lines.join('\n  ')}`, {
      where: this.where(issues[0]?.path ?? []),
    })
  }

  /** Validates with a zod schema; throws located errors. */
  validate<T extends z.ZodType>(schema: T, data: unknown = this.data(), base: Path = []): z.infer<T> {
    const r = schema.safeParse(data)
    if (r.success) return r.data
    this.fail(
      r.error.issues.map((i) => {
        // Point an unknown key at the key itself, not at the map that holds it.
        const keys = i.code === 'unrecognized_keys' ? i.keys : []
        return { path: [...base, ...(i.path as Path), ...(keys.length === 1 ? keys : [])], message: i.message, atKey: keys.length === 1 }
      }),
    )
  }
}

export const formatPath = (path: Path): string =>
  path.length === 0 ? '' : `${path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('')}: `

const display = (file: string): string => {
  const rel = relative(process.cwd(), file)
  return rel.startsWith('..') ? file : rel
}
