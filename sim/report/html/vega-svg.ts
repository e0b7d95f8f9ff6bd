import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * A Vega-Lite spec rendered to a static SVG string, in Node, with no DOM and no browser: Vega's
 * headless SVG renderer (`View.toSVG`). The data must be inline (`data: { values }`), so
 * nothing is loaded. The namespace attributes are dropped: an SVG inlined in HTML needs none,
 * and the page then holds no URL at all.
 */
export const CHART_CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eee', titleFontWeight: 'normal' as const },
  legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 260 },
  title: { fontSize: 13, anchor: 'start' as const, fontWeight: 'normal' as const },
}

export const vegaLiteToSvg = async (spec: TopLevelSpec): Promise<string> => {
  const { spec: vg } = compile({ ...spec, config: { ...CHART_CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec)
  const view = new View(parse(vg), { renderer: 'none' })
  try {
    const svg = await view.toSVG()
    return svg.replace(/ xmlns(?::xlink)?="[^"]*"/g, '')
  } finally {
    view.finalize()
  }
}
