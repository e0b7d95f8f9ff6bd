/** HTML building blocks of the reports: escaping, tables, the page shell with its inline CSS. */

export const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)

/** A number for a table: ms with at most 3 decimals, '' for null/undefined. */
export const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '' : String(Math.round(x * 10 ** digits) / 10 ** digits)

export interface Cell {
  html: string
  cls?: string
}

/** A table; cells are HTML already escaped (use `esc`), or `{ html, cls }` for a class. */
export const table = (headers: readonly string[], rows: readonly (readonly (string | Cell)[])[], cls = ''): string => {
  const td = (c: string | Cell) => (typeof c === 'string' ? `<td>${c}</td>` : `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>`)
  return `<div class="scroll"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map(td).join('')}</tr>`)
    .join('\n')}</tbody></table></div>`
}

/** A definition list of facts; values are escaped here, empty ones left out. */
export const facts = (pairs: readonly [string, unknown][]): string =>
  `<dl class="facts">${pairs
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`)
    .join('')}</dl>`

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 "DejaVu Sans",Helvetica,Arial,sans-serif;color:#222;margin:0;background:#fafafa}
main{max-width:1380px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:14px;margin:0 0 4px;font-weight:600}
.sub{color:#666;margin:0 0 12px}
.badge{display:inline-block;padding:1px 10px;border-radius:10px;font-weight:700;font-size:13px;vertical-align:middle;margin-left:8px}
.pass{background:#d9f2dc;color:#1b6b27}.fail{background:#fbd9d7;color:#a11b12}
table{border-collapse:collapse;background:white;font-size:13px;margin:4px 0}
th,td{border:1px solid #e2e2e2;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f2f2f2;font-weight:600}
td:first-child,th:first-child,td.l{text-align:left}
td.ok{color:#1b6b27;font-weight:600}td.bad{color:#a11b12;font-weight:700;background:#fdeceb}
td.regressed{background:#fbd9d7;color:#a11b12;font-weight:700}td.improved{background:#d9f2dc;color:#1b6b27;font-weight:700}
td.warn{background:#fff3cd}
td.why{text-align:left;white-space:normal;min-width:220px;max-width:320px;font-size:12px;color:#444}
.scroll{overflow-x:auto;max-width:100%}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0;background:white;padding:8px 12px;border:1px solid #e2e2e2}
dt{color:#666}dd{margin:0}
.cols{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(640px,1fr));gap:16px}
.chart{background:white;border:1px solid #e2e2e2;padding:8px 10px}
.chart svg{max-width:100%;height:auto;display:block}
.legend{display:flex;gap:14px;font-size:12px;color:#444;margin:4px 0 6px;flex-wrap:wrap}
.sw{display:inline-block;width:12px;height:12px;vertical-align:-2px;margin-right:4px;border:1px solid #999}
.note{color:#555;font-size:13px}
code{background:#f0f0f0;padding:0 3px;border-radius:3px}
`

/** The whole page: one file, inline CSS, no script, nothing fetched. */
export const page = (title: string, body: string): string =>
  `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>
${body}
</main></body></html>
`
