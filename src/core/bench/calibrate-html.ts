/**
 * The calibration report as one self-contained page (inline CSS and SVG, no scripts, nothing
 * fetched; a strict CSP). Task ids, categories, agent labels and run ids are untrusted: every
 * interpolation goes through html.ts's escaping template.
 */
import { card, chart, html, legend, Markup, num, page, percentTick, rowLabel, rowsFrame, truncate, unitHistogram, xTicks } from '../html.js';
import { histogram } from '../runs/metrics.js';
import { formatPercent } from '../runs/report.js';
import { BANDS, type Band } from './difficulty.js';
import type { Calibration } from './calibrate.js';

/** Agents are told apart by colour classes a0…a5 (cycled beyond six). */
const AGENT_CLASSES = 6;
const agentClass = (i: number) => `a${i % AGENT_CLASSES}`;

const EXTRA_CSS = `
svg .b-easy { fill: #3fb950; } svg .b-medium { fill: #d29922; } svg .b-hard { fill: #db6d28; }
svg .b-unsolved { fill: #cf222e; } svg .b-unrated { fill: #8c959f; }
svg .a0 { fill: var(--s1); } svg .a1 { fill: var(--s2); } svg .a2 { fill: var(--s3); }
svg .a3 { fill: #8250df; } svg .a4 { fill: #bf3989; } svg .a5 { fill: #6e7781; }
svg .range { stroke: var(--muted); stroke-width: 2; }
.band { display: inline-block; padding: 0 6px; border-radius: 10px; border: 1px solid var(--line); font-size: 12px; }
`;

/** Per category, one bar split by difficulty band (task counts). */
function bandsChart(c: Calibration): Markup {
  const cats = c.categories;
  const f = rowsFrame({ left: 150, right: 40, top: 34, row: 26, rows: cats.length, foot: 10 });
  const { left, top, plotW } = f;
  const max = Math.max(1, ...cats.map((x) => x.tasks));
  const parts: Markup[] = [legend(left, 16, BANDS.map((b) => ({ cls: `b-${b}`, label: b })))];
  if (!cats.length) parts.push(html`<text x="${left}" y="${top + 16}">no tasks</text>`);
  cats.forEach((cat, i) => {
    const y = f.rowTop(i);
    parts.push(rowLabel(f, y + 15, cat.name, 20));
    let x = left;
    for (const b of BANDS) {
      const n = cat.bands[b];
      if (!n) continue;
      const w = (n / max) * plotW;
      parts.push(html`<rect x="${num(x)}" y="${num(y + 3)}" width="${num(w)}" height="16" class="b-${b}"><title>${cat.name}: ${n} ${b}</title></rect>`);
      x += w;
    }
    parts.push(html`<text x="${num(x + 4)}" y="${num(y + 15)}" class="value">${cat.tasks}</text>`);
  });
  return chart('chart-bands', f.width, f.height, 'Difficulty bands per category', 'For each category, a bar of its tasks split by difficulty band.', html`${parts}`);
}

/** Tasks by solve rate, ten bins over 0–1 (unrated tasks left out). */
function solveHistogram(c: Calibration): Markup {
  const counts = histogram(c.tasks.flatMap((t) => (t.solve_rate === null ? [] : [t.solve_rate])), 10);
  return unitHistogram({ id: 'chart-solve', title: 'Tasks by solve rate', desc: 'Number of bench tasks in each tenth of the solve-rate range 0 to 1.', axis: 'solve rate', unit: 'tasks', counts });
}

/** Each agent's solve rate over the bench. */
function agentsChart(c: Calibration): Markup {
  const f = rowsFrame({ left: 170, right: 56, top: 12, row: 26, rows: c.agents.length, foot: 24 });
  const { left, top, plotW, x } = f;
  const parts: Markup[] = xTicks(f, [0, 0.25, 0.5, 0.75, 1], percentTick);
  if (!c.agents.length) parts.push(html`<text x="${left}" y="${top + 16}">no reference runs</text>`);
  c.agents.forEach((a, i) => {
    const y = f.rowTop(i);
    const v = a.solve_rate ?? 0;
    parts.push(rowLabel(f, y + 15, a.label, 24, `${a.label} (${a.run_id})`));
    parts.push(html`<rect x="${left}" y="${num(y + 3)}" width="${num(Math.max(v * plotW, v > 0 ? 1 : 0))}" height="16" class="${agentClass(i)}"><title>${a.label}: ${formatPercent(a.solve_rate)}</title></rect>`);
    parts.push(html`<text x="${num(x(v) + 4)}" y="${num(y + 15)}" class="value">${formatPercent(a.solve_rate)}</text>`);
  });
  return chart('chart-agents', f.width, f.height, 'Solve rate per reference agent', 'Horizontal bars: each agent\u2019s mean pass rate over the bench tasks it tried.', html`${parts}`);
}

const MAX_DOT_ROWS = 20;

/** The most separating tasks: per task a line from the worst to the best agent, a dot per agent. */
function separationChart(c: Calibration): Markup {
  const byId = new Map(c.tasks.map((t) => [t.id, t]));
  const rows = c.discrimination.separating.slice(0, MAX_DOT_ROWS).map((id) => byId.get(id)!);
  const f = rowsFrame({ left: 170, right: 20, top: 34, row: 22, rows: rows.length, foot: 24 });
  const { left, top, x } = f;
  const parts: Markup[] = [legend(left, 16, c.agents.slice(0, AGENT_CLASSES).map((a, i) => ({ cls: agentClass(i), label: truncate(a.label, 18) })))];
  parts.push(...xTicks(f, [0, 0.5, 1], percentTick, top - 4));
  if (!rows.length) parts.push(html`<text x="${left}" y="${top + 14}">no task separates the agents</text>`);
  rows.forEach((t, i) => {
    const y = f.rowTop(i) + 11;
    const vs = t.per_agent.filter((v): v is number => v !== null);
    parts.push(rowLabel(f, y + 4, t.id, 24));
    parts.push(html`<line x1="${num(x(Math.min(...vs)))}" y1="${num(y)}" x2="${num(x(Math.max(...vs)))}" y2="${num(y)}" class="range"/>`);
    t.per_agent.forEach((v, j) => {
      if (v === null) return;
      // A small vertical offset per agent: agents with the same rate stay visible side by side.
      const dy = (j - (t.per_agent.length - 1) / 2) * 3;
      parts.push(html`<circle cx="${num(x(v))}" cy="${num(y + dy)}" r="4" class="${agentClass(j)}"><title>${t.id}: ${c.agents[j]!.label} ${formatPercent(v)}</title></circle>`);
    });
  });
  return chart('chart-separation', f.width, f.height, 'Tasks that separate agents', 'For the most separating tasks, each agent\u2019s pass rate as a dot on a 0 to 100% line.', html`${parts}`);
}

const bandTag = (b: Band) => html`<span class="band">${b}</span>`;

export function renderCalibrationHtml(c: Calibration): string {
  const b = c.balance;
  const summary = html`<section class="cards" aria-label="Summary">
${card('Tasks', String(c.bench.tasks), `${c.categories.length} categories`)}
${card('Reference agents', String(c.agents.length))}
${c.bands.map((x) => card(x.band, String(x.tasks), x.rule))}
${card('Separating', String(c.discrimination.separating.length), `pass-rate gap ≥ ${formatPercent(c.discrimination.threshold)}`)}
${card('Balance', b.ratio === null ? '—' : b.ratio.toFixed(2), 'largest / smallest category')}
</section>`;

  const charts = html`<section class="charts" aria-label="Charts">
<figure><figcaption>Difficulty per category</figcaption>${bandsChart(c)}</figure>
<figure><figcaption>Solve-rate distribution</figcaption>${solveHistogram(c)}</figure>
<figure><figcaption>Reference agents</figcaption>${agentsChart(c)}</figure>
<figure><figcaption>Tasks that separate agents</figcaption>${separationChart(c)}</figure>
</section>`;

  const agents = html`<h2>Reference agents</h2>
<div class="wide"><table><thead><tr><th scope="col">Agent</th><th scope="col">Run</th><th scope="col" class="n">Tasks tried</th><th scope="col" class="n">Trials</th><th scope="col" class="n">Solve rate</th></tr></thead>
<tbody>${c.agents.map((a) => html`<tr><th scope="row">${a.label}</th><td class="id">${a.run_id}</td><td class="n">${a.tasks_tried}</td><td class="n">${a.trials}</td><td class="n">${formatPercent(a.solve_rate)}</td></tr>`)}</tbody></table></div>
${c.discrimination.pairs.length ? html`<h3>Pairs</h3><div class="wide"><table class="compact"><thead><tr><th scope="col">A</th><th scope="col">B</th><th scope="col" class="n">A better</th><th scope="col" class="n">B better</th><th scope="col" class="n">Even</th><th scope="col" class="n">Both tried</th></tr></thead>
<tbody>${c.discrimination.pairs.map((p) => html`<tr><td>${p.a}</td><td>${p.b}</td><td class="n">${p.a_better}</td><td class="n">${p.b_better}</td><td class="n">${p.even}</td><td class="n">${p.both_tried}</td></tr>`)}</tbody></table></div>` : ''}`;

  const categories = html`<h2>Categories</h2>
<p class="meta">${b.categories} categories; shares from ${formatPercent(b.min_share)} to ${formatPercent(b.max_share)} (even would be ${formatPercent(b.even_share)} each).</p>
<div class="wide"><table><thead><tr><th scope="col">Category</th><th scope="col" class="n">Tasks</th><th scope="col" class="n">Share</th><th scope="col" class="n">Solve rate</th>${BANDS.map((x) => html`<th scope="col" class="n">${x}</th>`)}</tr></thead>
<tbody>${c.categories.map((x) => html`<tr><th scope="row">${x.name}</th><td class="n">${x.tasks}</td><td class="n">${formatPercent(x.share)}</td><td class="n">${formatPercent(x.solve_rate)}</td>${BANDS.map((band) => html`<td class="n">${x.bands[band]}</td>`)}</tr>`)}</tbody></table></div>`;

  const tasks = html`<h2>Tasks (${c.tasks.length})</h2>
<p class="meta">Solve rate: the mean of the agents' pass rates. Spread: best minus worst agent. Discrimination: correlation across agents between passing this task and the agent's overall solve rate (three or more agents).</p>
<div class="wide"><table><thead><tr><th scope="col">Task</th><th scope="col">Category</th><th scope="col">Band</th><th scope="col" class="n">Solve rate</th>${c.agents.map((a) => html`<th scope="col" class="n">${truncate(a.label, 24)}</th>`)}<th scope="col" class="n">Spread</th><th scope="col" class="n">Discrimination</th></tr></thead>
<tbody>${c.tasks.map(
    (t) => html`<tr><td class="id">${t.id}</td><td>${t.category}</td><td>${bandTag(t.band)}</td><td class="n">${formatPercent(t.solve_rate)}</td>${t.per_agent.map((v) => html`<td class="n">${formatPercent(v)}</td>`)}<td class="n">${formatPercent(t.spread)}</td><td class="n">${t.discrimination === null ? '—' : t.discrimination.toFixed(2)}</td></tr>`,
  )}</tbody></table></div>`;

  const ignored = c.ignored.results_outside_bench || c.ignored.harness_errors
    ? html`<p class="note" role="status">Ignored: ${c.ignored.results_outside_bench} result(s) for tasks outside the bench, ${c.ignored.harness_errors} harness error(s).</p>`
    : '';

  return page({
    title: `ClawGym calibration · ${c.bench.name} ${c.bench.version}`,
    heading: 'Bench calibration',
    meta: html`Bench <strong>${c.bench.name}</strong> version <strong>${c.bench.version}</strong> · ${c.bench.tasks} tasks · ${c.agents.length} reference run(s)`,
    main: html`${summary}
${ignored}
${charts}
${agents}
${categories}
${tasks}`,
    footer: "Generated by ClawGym from bench.yaml and the reference runs' results.jsonl.",
    css: EXTRA_CSS,
  });
}
