/**
 * Building blocks of ClawGym's self-contained HTML pages (run reports, bench calibration): markup
 * built with a tagged template that escapes every interpolation unless it is already markup (so
 * forgetting to escape takes effort instead of the reverse), small SVG chart frames, and the page
 * CSS. No scripts, nothing fetched: the pages live under a strict CSP.
 */

export class Markup {
  constructor(readonly value: string) {}
}
export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

function render(v: Part): string {
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false || v === true) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((v, i) => (out += render(v) + (strings[i + 1] ?? '')));
  return new Markup(out);
}

/** A coordinate: short, and never NaN/Infinity in an attribute. */
export function num(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0';
}

export function truncate(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

// Charts: small hand-drawn SVG, coloured by CSS classes so dark mode follows the page.

export function chart(id: string, width: number, height: number, title: string, desc: string, body: Markup): Markup {
  return html`<svg class="chart" viewBox="0 0 ${num(width)} ${num(height)}" width="${num(width)}" height="${num(height)}" role="img" aria-labelledby="${id}-t ${id}-d"><title id="${id}-t">${title}</title><desc id="${id}-d">${desc}</desc>${body}</svg>`;
}

/** Swatches for bars, line samples for series; widths are estimated (no text metrics without a DOM). */
export function legend(x: number, y: number, items: readonly { cls: string; label: string; mark?: 'box' | 'line' | 'dashed' }[]): Markup {
  let cx = x;
  const parts: Markup[] = [];
  for (const it of items) {
    const mark = it.mark ?? 'box';
    parts.push(
      mark === 'box'
        ? html`<rect x="${num(cx)}" y="${num(y - 10)}" width="12" height="12" rx="2" class="${it.cls}"/>`
        : html`<line x1="${num(cx)}" y1="${num(y - 4)}" x2="${num(cx + 18)}" y2="${num(y - 4)}" class="line ${it.cls}${mark === 'dashed' ? ' dashed' : ''}"/>`,
    );
    const tx = cx + (mark === 'box' ? 17 : 24);
    parts.push(html`<text x="${num(tx)}" y="${num(y)}">${it.label}</text>`);
    cx = tx + it.label.length * 7 + 18;
  }
  return html`<g class="legend">${parts}</g>`;
}

/**
 * A chart of horizontal rows over a 0–1 scale: a label column on the left, one row every `row`
 * pixels from `top`, tick labels under the plot. Report and calibration charts share it.
 */
export interface RowsFrame {
  width: number;
  height: number;
  left: number;
  top: number;
  plotW: number;
  /** x of a value on the 0–1 scale. */
  x(v: number): number;
  /** Top of row i. */
  rowTop(i: number): number;
}

export function rowsFrame(o: { left: number; right: number; top: number; row: number; rows: number; foot: number; width?: number }): RowsFrame {
  const width = o.width ?? 560;
  const plotW = width - o.left - o.right;
  return {
    width,
    height: o.top + Math.max(1, o.rows) * o.row + o.foot,
    left: o.left,
    top: o.top,
    plotW,
    x: (v) => o.left + v * plotW,
    rowTop: (i) => o.top + i * o.row,
  };
}

/** Vertical grid lines at `ticks` (0–1) from `gridTop` down to the foot, labelled under the plot. */
export function xTicks(f: RowsFrame, ticks: readonly number[], label: (t: number) => string, gridTop = f.top): Markup[] {
  return ticks.flatMap((t) => [
    html`<line x1="${num(f.x(t))}" y1="${num(gridTop)}" x2="${num(f.x(t))}" y2="${num(f.height - 20)}" class="grid"/>`,
    html`<text x="${num(f.x(t))}" y="${num(f.height - 6)}" text-anchor="middle">${label(t)}</text>`,
  ]);
}

/** A row's label: right-aligned in the label column, cut to `max` characters, the whole text as its tooltip. */
export function rowLabel(f: RowsFrame, y: number, text: string, max: number, tooltip = text): Markup {
  return html`<text x="${num(f.left - 8)}" y="${num(y)}" text-anchor="end" class="label">${truncate(text, max)}<title>${tooltip}</title></text>`;
}

/** A 0–1 tick as a percentage: 0%, 25%, 100%. */
export const percentTick = (t: number): string => `${t * 100}%`;

/** A chart with a vertical value axis: margins, the plot's size, and y of a value on [0, yMax]. */
export interface PlotFrame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  plotW: number;
  plotH: number;
  y(v: number): number;
}

export function plotFrame(o: { left: number; right: number; top: number; bottom: number; yMax?: number; width?: number; height?: number }): PlotFrame {
  const width = o.width ?? 560;
  const height = o.height ?? 240;
  const plotW = width - o.left - o.right;
  const plotH = height - o.top - o.bottom;
  const yMax = o.yMax ?? 1;
  return { width, height, left: o.left, right: o.right, top: o.top, bottom: o.bottom, plotW, plotH, y: (v) => o.top + plotH - (v / yMax) * plotH };
}

/** Horizontal grid lines at `ticks`, labelled left of the plot. */
export function yTicks(f: PlotFrame, ticks: readonly number[], label: (t: number) => string): Markup[] {
  return ticks.flatMap((t) => [
    html`<line x1="${f.left}" y1="${num(f.y(t))}" x2="${num(f.width - f.right)}" y2="${num(f.y(t))}" class="grid"/>`,
    html`<text x="${f.left - 6}" y="${num(f.y(t) + 4)}" text-anchor="end">${label(t)}</text>`,
  ]);
}

/** The smallest of 1, 2, 5 × 10^n at least `raw`: readable axis steps. */
export function niceStep(raw: number): number {
  if (raw <= 1) return 1;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/**
 * Vertical bars of counts in equal bins over [0, 1] (bin i is [i/n, (i+1)/n), the last one
 * inclusive), with a count axis in readable steps. `axis` names the value, `unit` what is counted.
 */
export function unitHistogram(o: { id: string; title: string; desc: string; axis: string; unit: string; counts: readonly number[] }): Markup {
  const n = o.counts.length;
  const max = Math.max(1, ...o.counts);
  const step = niceStep(max / 4);
  const yMax = Math.ceil(max / step) * step;
  const f = plotFrame({ left: 44, right: 12, top: 16, bottom: 36, yMax });
  const { width: W, height: H, left, right, bottom, plotW, y } = f;
  const bw = plotW / n;
  const ticks: number[] = [];
  for (let t = 0; t <= yMax; t += step) ticks.push(t);
  const parts: Markup[] = yTicks(f, ticks, String);
  o.counts.forEach((count, i) => {
    const x0 = left + i * bw;
    const range = `${(i / n).toFixed(1)}–${((i + 1) / n).toFixed(1)}${i === n - 1 ? ' (inclusive)' : ''}`;
    if (count > 0) {
      parts.push(html`<rect x="${num(x0 + 2)}" y="${num(y(count))}" width="${num(bw - 4)}" height="${num(y(0) - y(count))}" class="s1"><title>${o.axis} ${range}: ${count} ${o.unit}</title></rect>`);
      parts.push(html`<text x="${num(x0 + bw / 2)}" y="${num(y(count) - 4)}" text-anchor="middle" class="value">${count}</text>`);
    }
    parts.push(html`<text x="${num(x0)}" y="${num(H - bottom + 16)}" text-anchor="middle">${(i / n).toFixed(1)}</text>`);
  });
  parts.push(html`<text x="${num(W - right)}" y="${num(H - bottom + 16)}" text-anchor="end">1.0</text>`);
  parts.push(html`<text x="${num(left + plotW / 2)}" y="${num(H - 4)}" text-anchor="middle" class="axis">${o.axis}</text>`);
  parts.push(html`<line x1="${left}" y1="${num(y(0))}" x2="${num(W - right)}" y2="${num(y(0))}" class="axisline"/>`);
  return chart(o.id, W, H, o.title, o.desc, html`${parts}`);
}

/** The pages' shared look: light and dark themes, cards, charts, tables. */
export const PAGE_CSS = `
:root { color-scheme: light dark; --bg:#ffffff; --fg:#1f2328; --muted:#57606a; --line:#d0d7de; --card:#f6f8fa;
  --s1:#0072b2; --s2:#d55e00; --s3:#009e73; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --inbar:#ffffff; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --fg:#e6edf3; --muted:#9198a1; --line:#30363d; --card:#161b22;
  --s1:#56b4e9; --s2:#f0a35e; --s3:#3fbf9a; --ok:#3fb950; --bad:#f85149; --warn:#d29922; --inbar:#0d1117; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: var(--muted); margin: 0 0 8px; overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 12px; margin: 20px 0; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .k { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .v { font-size: 24px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .sub { color: var(--muted); font-size: 12px; }
.note { background: var(--card); border-left: 4px solid var(--warn); padding: 8px 12px; border-radius: 4px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(460px, 100%), 1fr)); gap: 16px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg text { fill: var(--muted); font-size: 12px; font-family: inherit; }
svg text.label, svg text.value { fill: var(--fg); }
svg text.inbar { fill: var(--inbar); font-weight: 600; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axisline { stroke: var(--muted); stroke-width: 1; }
svg .s1 { fill: var(--s1); } svg .s2 { fill: var(--s2); } svg .s3 { fill: var(--s3); }
svg .line { fill: none; stroke-width: 2.5; } svg .line.s1 { stroke: var(--s1); } svg .line.s2 { stroke: var(--s2); }
svg .dashed { stroke-dasharray: 6 4; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { font-weight: 600; background: var(--card); position: sticky; top: 0; }
tbody th { font-weight: 600; }
table.compact { width: auto; min-width: 420px; }
table.errors { table-layout: fixed; min-width: 720px; }
col.c-task, col.c-dir { width: 22%; } col.c-attempt { width: 80px; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.id { word-break: break-all; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
tr.err td:first-child { box-shadow: inset 3px 0 var(--bad); }
.bar { display: inline-block; width: 60px; height: 8px; background: var(--line); border-radius: 4px; vertical-align: middle; margin-right: 6px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--s1); }
.pass { color: var(--ok); } .fail { color: var(--bad); }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; font: 12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; max-height: 16em; overflow: auto; }
.kind { display: inline-block; padding: 0 6px; border-radius: 10px; border: 1px solid var(--bad); color: var(--bad); font-size: 12px; }
.wide { overflow-x: auto; }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
`;

/**
 * A whole self-contained page: the strict CSP (no scripts, nothing fetched, inline styles and data:
 * images only), the shared CSS plus `css`, a header, the main content and a footer line.
 */
export function page(o: { title: string; heading: string; meta: Markup; main: Markup; footer: string; css?: string }): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${o.title}</title>
<style>${new Markup(PAGE_CSS + (o.css ?? ''))}</style>
</head>
<body>
<header>
<h1>${o.heading}</h1>
<p class="meta">${o.meta}</p>
</header>
<main>
${o.main}
</main>
<footer>${o.footer}</footer>
</body>
</html>
`.value;
}

/** A summary card: a label, a big value, an optional note. */
export function card(label: string, value: string, sub?: Part): Markup {
  return html`<div class="card"><div class="k">${label}</div><div class="v">${value}</div>${sub ? html`<div class="sub">${sub}</div>` : ''}</div>`;
}
