/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that a
 * strict CSP can lock down. Task ids, categories, agent names and error messages are untrusted:
 * every interpolation goes through html.ts's escaping template.
 */
import { card, chart, escapeHtml, html, legend, Markup, num, page, percentTick, plotFrame, rowLabel, rowsFrame, truncate, unitHistogram, xTicks, yTicks } from '../html.js';
import { formatDuration, formatPercent, formatReward, formatUsage, PHASES, ReportErrorKind, type Report } from './report.js';

export { escapeHtml };

/** Horizontal grouped bars: pass rate and mean reward per category, both on a 0–1 scale. */
function categoryChart(report: Report): Markup {
  const cats = report.categories;
  const f = rowsFrame({ left: 150, right: 56, top: 34, row: 38, rows: cats.length, foot: 24 });
  const { left, top, plotW } = f;
  const parts: Markup[] = [legend(left, 16, [{ cls: 's1', label: 'pass rate' }, { cls: 's2', label: 'mean reward' }])];
  parts.push(...xTicks(f, [0, 0.25, 0.5, 0.75, 1], (t) => (t === 0 || t === 1 ? String(t) : t.toFixed(2)), top - 4));
  if (!cats.length) parts.push(html`<text x="${num(left)}" y="${top + 20}">no categories</text>`);
  cats.forEach((c, i) => {
    const y = f.rowTop(i);
    parts.push(rowLabel(f, y + 19, c.name, 20));
    const bars: [string, number | null, string][] = [
      ['s1', c.pass_rate, `pass rate ${formatPercent(c.pass_rate)}`],
      ['s2', c.mean_reward, `mean reward ${formatReward(c.mean_reward)}`],
    ];
    bars.forEach(([cls, v, text], j) => {
      const by = y + 4 + j * 14;
      const w = v === null ? 0 : Math.max(v * plotW, v > 0 ? 1 : 0);
      parts.push(html`<rect x="${left}" y="${num(by)}" width="${num(w)}" height="12" class="${cls}"><title>${c.name}: ${text}</title></rect>`);
      parts.push(html`<text x="${num(left + w + 4)}" y="${num(by + 10)}" class="value">${cls === 's1' ? formatPercent(v) : formatReward(v)}</text>`);
    });
  });
  return chart('chart-categories', f.width, f.height, 'Pass rate and mean reward per category', 'Horizontal bars on a 0 to 1 scale, two per category.', html`${parts}`);
}

function histogramChart(report: Report): Markup {
  const counts = report.histogram.map((b) => b.count);
  return unitHistogram({ id: 'chart-histogram', title: 'Reward histogram', desc: 'Number of finished trials in each tenth of the reward range 0 to 1.', axis: 'reward', unit: 'trials', counts });
}

function atKChart(report: Report): Markup {
  const f = plotFrame({ left: 44, right: 20, top: 30, bottom: 36 });
  const { width: W, height: H, left, bottom, plotW, y } = f;
  const K = report.at_k.length;
  const x = (k: number): number => (K <= 1 ? left + plotW / 2 : left + ((k - 1) / (K - 1)) * plotW);
  const parts: Markup[] = [legend(left, 16, [{ cls: 's1', label: 'pass@k', mark: 'line' }, { cls: 's2', label: 'pass^k', mark: 'dashed' }])];
  parts.push(...yTicks(f, [0, 0.25, 0.5, 0.75, 1], percentTick));
  for (const r of report.at_k) parts.push(html`<text x="${num(x(r.k))}" y="${num(H - bottom + 16)}" text-anchor="middle">${r.k}</text>`);
  parts.push(html`<text x="${num(left + plotW / 2)}" y="${num(H - 4)}" text-anchor="middle" class="axis">k (attempts)</text>`);
  const series: ['pass_at_k' | 'pass_hat_k', string, string, boolean][] = [
    ['pass_at_k', 's1', 'pass@', false],
    ['pass_hat_k', 's2', 'pass^', true],
  ];
  for (const [key, cls, name, dashed] of series) {
    // A null value (no task has k trials yet) breaks the line rather than drawing it at zero.
    let path = '';
    let pen = false;
    for (const r of report.at_k) {
      const v = r[key];
      if (v === null) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${num(x(r.k))} ${num(y(v))}`;
      pen = true;
    }
    if (path) parts.push(html`<path d="${path}" class="line ${cls}${dashed ? ' dashed' : ''}"/>`);
    for (const r of report.at_k) {
      const v = r[key];
      if (v === null) continue;
      parts.push(html`<circle cx="${num(x(r.k))}" cy="${num(y(v))}" r="4" class="${cls}"><title>${name}${r.k} = ${formatPercent(v)} over ${r.tasks} tasks</title></circle>`);
    }
  }
  return chart('chart-at-k', W, H, 'pass@k and pass^k', 'pass@k (at least one of k attempts passes) and pass^k (all k pass), for k from 1 to the attempts per task.', html`${parts}`);
}

function timingChart(report: Report): Markup {
  const W = 560;
  const H = 120;
  const left = 12;
  const right = 12;
  const plotW = W - left - right;
  const t = report.timings;
  const phases = [
    { key: 'setup_ms', cls: 's3', label: 'setup' },
    { key: 'agent_ms', cls: 's1', label: 'agent' },
    { key: 'verify_ms', cls: 's2', label: 'verify' },
  ] as const;
  const values = phases.map((p) => t[p.key].mean ?? 0);
  const sum = values.reduce((a, b) => a + b, 0);
  const parts: Markup[] = [];
  let x = left;
  if (sum <= 0) parts.push(html`<text x="${left}" y="44">no timed trials</text>`);
  phases.forEach((p, i) => {
    if (sum <= 0) return;
    const v = values[i]!;
    const w = (v / sum) * plotW;
    parts.push(html`<rect x="${num(x)}" y="24" width="${num(w)}" height="32" class="${p.cls}"><title>${p.label}: mean ${formatDuration(v)} (${formatPercent(v / sum)})</title></rect>`);
    if (w > 60) parts.push(html`<text x="${num(x + w / 2)}" y="44" text-anchor="middle" class="inbar">${formatDuration(v)}</text>`);
    x += w;
  });
  parts.push(
    legend(
      left,
      86,
      phases.map((p, i) => ({ cls: p.cls, label: `${p.label} ${formatDuration(values[i]!)}${sum > 0 ? ` (${formatPercent(values[i]! / sum)})` : ''}` })),
    ),
  );
  parts.push(html`<text x="${left}" y="${H - 6}">${`mean total per trial ${formatDuration(t.total_ms.mean)} over ${t.trials} timed trials`}</text>`);
  return chart('chart-timings', W, H, 'Mean time per phase', 'One bar split into the mean setup, agent and verify time of a trial.', html`${parts}`);
}

// ---- page ----

const MAX_MESSAGE = 4000;

function rewardCell(v: number | null): Markup {
  const pct = v === null ? 0 : Math.round(v * 100);
  return html`<td class="n"><span class="bar" aria-hidden="true"><span style="width:${pct}%"></span></span>${formatReward(v)}</td>`;
}

export function renderReportHtml(report: Report): string {
  const n = report.counts;
  const t = report.timings;
  const kinds = ReportErrorKind.options.filter((k) => n.errors_by_kind[k] > 0);

  const summary = html`<section class="cards" aria-label="Summary">
${card('Pass rate', formatPercent(report.pass_rate), `${n.passed} of ${n.trials_finished} finished trials`)}
${card('Mean reward', formatReward(report.mean_reward))}
${card('Trials', `${n.trials_finished} / ${n.trials_expected}`, `${n.tasks} tasks × ${report.attempts} attempts`)}
${card('Passed · failed', `${n.passed} · ${n.failed}`)}
${card('Errors', String(n.errored), kinds.map((k) => `${k} ${n.errors_by_kind[k]}`).join(', ') || 'none')}
${card('Harness retries', String(n.harness_retries))}
${report.crashed.length ? card('Agent crashed', String(report.crashed.length), 'reward as the verifier scored it') : ''}
${card('Wall time', formatDuration(t.wall_ms), `mean trial ${formatDuration(t.total_ms.mean)}`)}
${report.llm?.agent.calls ? card('Model calls', String(report.llm.agent.calls), formatUsage(report.llm.agent)) : ''}
${report.llm?.judge.calls ? card('Judge calls', String(report.llm.judge.calls), formatUsage(report.llm.judge)) : ''}
</section>`;

  const notRun = n.tasks_not_run || n.trials_missing
    ? html`<p class="note" role="status">${n.tasks_not_run} task(s) not run yet and ${n.trials_missing} trial(s) missing: the run is incomplete.${
        report.tasks_not_run.length ? html` Not run: <span class="id">${truncate(report.tasks_not_run.join(', '), 2000)}</span>` : ''
      }</p>`
    : '';

  const charts = html`<section class="charts" aria-label="Charts">
<figure><figcaption>Per category</figcaption>${categoryChart(report)}</figure>
<figure><figcaption>Reward distribution</figcaption>${histogramChart(report)}</figure>
<figure><figcaption>pass@k and pass^k</figcaption>${atKChart(report)}</figure>
<figure><figcaption>Where the time goes</figcaption>${timingChart(report)}</figure>
</section>`;

  const atK = html`<h2>pass@k and pass^k</h2>
<p class="meta">pass@k: at least one of k attempts passes (unbiased estimator). pass^k: all k pass. Each is averaged over the tasks with at least k finished trials.</p>
<div class="wide"><table class="compact">
<thead><tr><th scope="col" class="n">k</th><th scope="col" class="n">pass@k</th><th scope="col" class="n">pass^k</th><th scope="col" class="n">tasks</th></tr></thead>
<tbody>${report.at_k.map((r) => html`<tr><td class="n">${r.k}</td><td class="n">${formatPercent(r.pass_at_k)}</td><td class="n">${formatPercent(r.pass_hat_k)}</td><td class="n">${r.tasks}</td></tr>`)}</tbody></table></div>`;

  const categories = html`<h2>Categories</h2>
<div class="wide"><table><thead><tr><th scope="col">Category</th><th scope="col" class="n">Tasks</th><th scope="col" class="n">Trials</th><th scope="col" class="n">Passed</th><th scope="col" class="n">Pass rate</th><th scope="col" class="n">Mean reward</th></tr></thead>
<tbody>${report.categories.map(
    (c) => html`<tr><th scope="row">${c.name}</th><td class="n">${c.tasks}</td><td class="n">${c.trials}</td><td class="n">${c.passed}</td><td class="n">${formatPercent(c.pass_rate)}</td>${rewardCell(c.mean_reward)}</tr>`,
  )}</tbody></table></div>`;

  const timings = html`<h2>Timings</h2>
<p class="meta">Over the ${t.trials} trials that ran the agent. Wall time ${formatDuration(t.wall_ms)}, from the first start to the last finish.</p>
<div class="wide"><table class="compact">
<thead><tr><th scope="col">Phase</th><th scope="col" class="n">mean</th><th scope="col" class="n">p50</th><th scope="col" class="n">p90</th><th scope="col" class="n">p99</th></tr></thead>
<tbody>${PHASES.map(
    (p) => html`<tr><th scope="row">${p.replace(/_ms$/, '')}</th><td class="n">${formatDuration(t[p].mean)}</td><td class="n">${formatDuration(t[p].p50)}</td><td class="n">${formatDuration(t[p].p90)}</td><td class="n">${formatDuration(t[p].p99)}</td></tr>`,
  )}</tbody></table></div>`;

  const tasks = html`<h2>Tasks (${report.tasks.length})</h2>
<div class="wide"><table><thead><tr><th scope="col">Task</th><th scope="col">Category</th><th scope="col" class="n">Trials</th><th scope="col" class="n">Passes</th><th scope="col" class="n">Errors</th><th scope="col" class="n">Pass rate</th><th scope="col" class="n">Mean reward</th></tr></thead>
<tbody>${report.tasks.map(
    (r) => html`<tr${r.errors ? html` class="err"` : ''}><td class="id">${r.id}</td><td>${r.category ?? '—'}</td><td class="n">${r.attempts}</td><td class="n${r.passes ? ' pass' : ''}">${r.passes}</td><td class="n${r.errors ? ' fail' : ''}">${r.errors}</td><td class="n">${formatPercent(r.pass_rate)}</td>${rewardCell(r.mean_reward)}</tr>`,
  )}</tbody></table></div>`;

  const errors = report.errors.length
    ? html`<h2>Errors (${report.errors.length})</h2>
${kinds.map((k) => {
        const errs = report.errors.filter((e) => e.kind === k);
        return html`<h3><span class="kind">${k}</span> ${errs.length}</h3>
<div class="wide"><table class="errors"><colgroup><col class="c-task"><col class="c-attempt"><col class="c-dir"><col></colgroup>
<thead><tr><th scope="col">Task</th><th scope="col" class="n">Attempt</th><th scope="col">Trial folder</th><th scope="col">Message</th></tr></thead>
<tbody>${errs.map(
          (e) => html`<tr><td class="id">${e.task_id}</td><td class="n">${e.attempt}</td><td class="id">${e.trial_dir}</td><td><pre>${truncate(e.message, MAX_MESSAGE)}</pre></td></tr>`,
        )}</tbody></table></div>`;
      })}`
    : html`<h2>Errors</h2><p>No errors.</p>`;

  const crashed = report.crashed.length
    ? html`<h2 class="crashed">Agent crashed (${report.crashed.length})</h2>
<p class="meta">The agent did not end cleanly (a non-zero exit or a signal). The reward is still what the verifier scored on the workspace it left.</p>
<div class="wide"><table class="errors">
<thead><tr><th scope="col">Task</th><th scope="col" class="n">Attempt</th><th scope="col">Trial folder</th><th scope="col">How it ended</th><th scope="col" class="n">Reward</th></tr></thead>
<tbody>${report.crashed.map(
        (e) => html`<tr class="err"><td class="id">${e.task_id}</td><td class="n">${e.attempt}</td><td class="id">${e.trial_dir}</td><td>${truncate(e.crash, MAX_MESSAGE)}</td>${rewardCell(e.reward)}</tr>`,
      )}</tbody></table></div>`
    : '';

  return page({
    title: `ClawGym report · ${report.run_id}`,
    heading: 'Run report',
    meta: html`Run <strong>${report.run_id}</strong> · agent <strong>${report.agent}</strong> · created ${report.created_at} · ${report.attempts} attempt(s) per task`,
    main: html`${summary}
${notRun}
${charts}
${atK}
${categories}
${timings}
${tasks}
${crashed}
${errors}`,
    footer: 'Generated by ClawGym from run.json and results.jsonl.',
  });
}
