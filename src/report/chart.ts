import type { TopLevelSpec } from 'vega-lite';

/**
 * Charts of the report: a Vega-Lite specification compiled to Vega and rendered to a static SVG string in Node (Vega's
 * headless `View` with `renderer: 'none'` and `toSVG`), no browser and no canvas. The SVG is inlined in the page: it
 * needs no script and fetches nothing. vega and vega-lite are loaded on first use, so commands that write no report
 * do not pay for them.
 */

/** Colours of the variants and series (Tableau 10, the Vega default, in a fixed order so every chart agrees). */
export const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1', '#edc948', '#ff9da7', '#9c755f', '#bab0ac'];

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, Liberation Sans, DejaVu Sans, sans-serif';

/** The look shared by every chart: fonts, sizes, grid, no outer frame. */
export const CHART_CONFIG = {
  font: FONT,
  background: 'white',
  padding: 6,
  view: { stroke: null },
  axis: { labelLimit: 320, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 600, gridColor: '#e6e9ef', domainColor: '#8a93a5', tickColor: '#8a93a5', labelColor: '#3b4252', titleColor: '#1d2433' },
  legend: { labelLimit: 360, labelFontSize: 11, titleFontSize: 11, titleFontWeight: 600, orient: 'bottom', direction: 'horizontal', columns: 0, symbolStrokeWidth: 2 },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
  title: { fontSize: 13, fontWeight: 600, anchor: 'start', color: '#1d2433' },
  range: { category: PALETTE },
  line: { strokeWidth: 2 },
} as const;

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
/** Vega-Lite's compile warnings are for spec authors; the report's specs are fixed, so they are not printed. */
const QUIET = { level: () => QUIET, error: () => QUIET, warn: () => QUIET, info: () => QUIET, debug: () => QUIET } as never;

let loaded: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

function load(): Promise<{ vega: Vega; vl: VegaLite }> {
  return (loaded ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl })));
}

/**
 * Render a Vega-Lite spec to an SVG string. The shared config is applied; the spec's own `config` wins.
 * The SVG gets a `role="img"` and an `aria-label` (the chart's title) for screen readers.
 */
export async function renderChart(spec: TopLevelSpec, label: string): Promise<string> {
  const { vega, vl } = await load();
  // No ARIA attributes on every mark: the SVG is one image (role="img" with its title), and its numbers are in the
  // data table under it. This also keeps the page a third smaller.
  const full = { ...spec, config: { ...CHART_CONFIG, aria: false, ...(spec.config ?? {}) } } as TopLevelSpec;
  const compiled = vl.compile(full, { logger: QUIET }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return svg.replace(/^<svg /, `<svg role="img" aria-label="${label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}" `);
  } finally {
    view.finalize();
  }
}
