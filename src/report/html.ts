/**
 * HTML building blocks of the report: escaping, tables, collapsed data tables, and the page shell with its styles.
 * Every string that comes from a user's file goes through `esc` (or `td`/`table`, which call it): the report holds no
 * script, and a content security policy forbids scripts and every request, so the page works offline and a name such
 * as `<script>alert(1)</script>` shows as text.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escape text for HTML element content and quoted attribute values (the five characters of OWASP's rule #1).
 * @example escapeHtml('<b>"x" & y</b>') // => '&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;'
 */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A cell: text is escaped; numbers are right-aligned. */
export type Cell = string | number | { readonly html: string; readonly num?: boolean; readonly wrap?: boolean };

function cell(c: Cell, tagName: 'td' | 'th'): string {
  if (typeof c === 'number') return `<${tagName} class="num">${esc(c)}</${tagName}>`;
  if (typeof c === 'string') return `<${tagName}>${esc(c)}</${tagName}>`;
  const cls = [c.num ? 'num' : '', c.wrap ? 'wrap' : ''].filter(Boolean).join(' ');
  return `<${tagName}${cls ? ` class="${cls}"` : ''}>${c.html}</${tagName}>`;
}

/** A table with a header row; cells are escaped (pass `{ html }` for markup already built from escaped parts). */
export function table(head: readonly string[], rows: ReadonlyArray<readonly Cell[]>, caption?: string): string {
  return [
    '<div class="table"><table>',
    caption === undefined ? '' : `<caption>${esc(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c) => cell(c, 'td')).join('')}</tr>`).join('')}</tbody>`,
    '</table></div>',
  ].join('');
}

/** A figure: title, the takeaway sentence above the chart, the SVG, and the chart's numbers in a collapsed table. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  /** One sentence computed from the saved results: what to take away from the chart. */
  readonly takeaway: string;
  readonly svg: string;
  /** Data table HTML (from `table`), shown collapsed under the chart. */
  readonly data: string;
  readonly note?: string;
}

export function figure(f: Figure): string {
  // "chart-" keeps a figure's id apart from its section's (the capacity section holds the capacity chart)
  return `<figure class="chart" id="chart-${esc(f.id)}">
<h3>${esc(f.title)}</h3>
<p class="takeaway">${esc(f.takeaway)}</p>
<div class="svg">${f.svg}</div>
${f.note ? `<p class="note">${esc(f.note)}</p>` : ''}
<details><summary>Data table</summary>${f.data}</details>
</figure>`;
}

/** One bulleted list of escaped lines, or nothing when empty. */
export function list(items: readonly string[], className = ''): string {
  if (items.length === 0) return '';
  return `<ul${className ? ` class="${className}"` : ''}>${items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>`;
}

const STYLE = `
:root { --ink: #1d2433; --muted: #5b6475; --line: #d9dee7; --bg: #ffffff; --panel: #f5f7fa; --warn: #8a4b00; --warnbg: #fff4e0; --bad: #a4161a; --good: #1b6e3a; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: var(--ink); background: var(--bg); font-size: 15px; line-height: 1.45; }
body { margin: 0 auto; max-width: 1100px; padding: 24px 32px 48px; }
header.page { border-bottom: 3px solid var(--ink); margin-bottom: 20px; padding-bottom: 8px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 1.05rem; margin: 0 0 4px; }
p.sub, .muted { color: var(--muted); }
p.sub { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(230px, 1fr)); gap: 12px; margin: 12px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; break-inside: avoid; }
.card h3 { font-size: 1rem; }
.card .big { font-size: 1.12rem; font-weight: 650; margin: 2px 0; }
.card .row { display: flex; justify-content: space-between; gap: 8px; font-size: 0.92rem; }
.card .row span:first-child { color: var(--muted); }
.overdue { color: var(--bad); font-weight: 650; }
.ok { color: var(--good); font-weight: 650; }
.fail { color: var(--bad); font-weight: 650; }
figure.chart { margin: 18px 0 26px; break-inside: avoid; page-break-inside: avoid; }
p.takeaway { font-weight: 600; margin: 2px 0 8px; }
p.headline { font-size: 1.25rem; font-weight: 700; margin: 4px 0 6px; }
ul.verdict { margin: 4px 0 8px; padding-left: 20px; }
ul.verdict li { margin: 2px 0; }
p.note { color: var(--muted); font-size: 0.88rem; margin: 4px 0; }
.svg svg { max-width: 100%; height: auto; display: block; }
details { margin: 6px 0; }
details summary { cursor: pointer; color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
div.table { overflow-x: auto; max-width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; white-space: nowrap; }
td.wrap { white-space: normal; min-width: 130px; }
th { white-space: normal; }
.nw { white-space: nowrap; }
th { background: var(--panel); }
td.num, th.num { text-align: right; white-space: nowrap; }
.shortnow { background: #fdecec; border-left: 4px solid var(--bad); padding: 8px 14px; margin: 12px 0; break-inside: avoid; }
.shortnow h3 { color: var(--bad); }
.shortnow ul { margin: 4px 0; padding-left: 18px; font-weight: 600; }
.shortnow p { margin: 2px 0; font-size: 0.9rem; }
.card .big.overdue { color: var(--bad); }
.warnings { background: var(--warnbg); border-left: 4px solid var(--warn); padding: 8px 14px; margin: 10px 0; }
.warnings h3 { color: var(--warn); }
.warnings ul { margin: 4px 0; padding-left: 18px; }
ul.assumptions { columns: 2; column-gap: 32px; padding-left: 18px; }
ol.method li { margin: 4px 0; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.82rem; border-top: 1px solid var(--line); padding-top: 8px; }
@media (max-width: 700px) { body { padding: 12px; } ul.assumptions { columns: 1; } }
@media print {
  .shortnow, .warnings, .card { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { size: A4; margin: 14mm 12mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; page-break-after: avoid; }
  figure.chart, .card, .shortnow, table { break-inside: avoid; page-break-inside: avoid; }
  details { display: none; }
  .svg svg { max-height: 120mm; width: auto; max-width: 100%; }
}
`;

/**
 * The whole page. `body` is markup already built from escaped parts. The content security policy (no scripts, no
 * requests; inline styles and data: images only) keeps the file offline and inert whatever it contains.
 */
export function page(title: string, body: string, footer: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<footer>${footer}</footer>
</body>
</html>
`;
}

/** Short name used throughout the report's templates. */
export const esc = escapeHtml;
