import { parse, resetSVGDefIds, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * A Vega-Lite spec rendered to a static SVG string, in Node, with no DOM and no browser: Vega's
 * headless SVG renderer (`View.toSVG`). The data must be inline (`data: { values }`), so
 * nothing is loaded. The namespace attributes are dropped: an SVG inlined in HTML needs none,
 * and the page then holds no URL at all. Vega numbers its clip paths and gradients per process;
 * they are renumbered under `id` (unique within the page), so the same report renders to the
 * same bytes and two charts never share an element id.
 */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee', titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  title: { fontSize: 13, anchor: 'start' as const, fontWeight: 'normal' as const },
}

/**
 * Vega-Lite's compile warnings (a legend both hidden on one layer and shown on another, a width
 * channel on a nominal field) are about how it merges layers we merge on purpose: kept off the
 * run's console. Errors still throw.
 */
const quiet = {
  _level: 0,
  level(this: { _level: number }, l?: number) {
    if (l === undefined) return this._level
    this._level = l
    return this
  },
  error: (...args: unknown[]) => {
    throw new Error(args.map(String).join(' '))
  },
  warn() {
    return this
  },
  info() {
    return this
  },
  debug() {
    return this
  },
}

export const vegaLiteToSvg = async (spec: TopLevelSpec, id: string): Promise<string> => {
  const { spec: vg } = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, { logger: quiet as never })
  const view = new View(parse(vg), { renderer: 'none' })
  try {
    resetSVGDefIds()
    const svg = await view.toSVG()
    const prefix = id.replace(/[^A-Za-z0-9_-]/g, '_')
    return svg
      .replace(/ xmlns(?::xlink)?="[^"]*"/g, '')
      .replace(/\bid="(clip\d+|gradient_\d+)"/g, `id="${prefix}-$1"`)
      .replace(/url\(#(clip\d+|gradient_\d+)\)/g, `url(#${prefix}-$1)`)
  } finally {
    view.finalize()
  }
}
