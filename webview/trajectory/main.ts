/**
 * The trajectory debugger webview: a virtualized timeline (only the rows in view are in the DOM)
 * and the selected step's detail. The host owns the state: this page renders what it is sent and
 * posts intents (select, navigate, open a diff). Every string from the trajectory is set with
 * textContent — agent text is never parsed as HTML. Keyboard: j/k or ↓/↑ row by row, ]/[ or
 * shift+↓/↑ step by step, g/G first/last, f first failing call, e/E next/previous failing call,
 * t jump to the step that last changed a file, d open the selected step's diff, l follow (live).
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import type { HostMessage, NavigateAction, StepDetail, TimelineRow, TrajectoryHeader, WebviewMessage } from '../../src/protocol/trajectory.js';
import { formatCost, formatCount, formatMs, formatTokens } from './format.js';

import { button as sharedButton, el } from '../shared/dom.js';
import { connect } from '../shared/host.js';

/** Row height in px (fixed: it is what makes the list virtual). Keep in step with trajectory.css. */
const ROW_H = 22;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 12;
const KIND_GLYPH: Record<TimelineRow['kind'], string> = { system: '⚙', user: '▸', agent: '●', tool_call: '→', observation: '←' };


function button(id: string, text: string, title: string, onClick: () => void, secondary = true): HTMLElement {
  return sharedButton(id, text, onClick, { title, secondary });
}

const post = (m: WebviewMessage) => host.post(m);
const nav = (action: NavigateAction) => post({ type: 'navigate', action });

// ——— state ———
let rows: TimelineRow[] = [];
let selected = -1;
let follow = false;
let detail: StepDetail | null = null;
const rendered = new Map<number, HTMLElement>();
let firstRenderReported = false;

// ——— layout (built once) ———
const app = document.getElementById('app')!;
const title = el('h1', { id: 'title' });
const liveBadge = el('vscode-badge', { id: 'live', variant: 'counter', hidden: '' }, 'live');
const totals = el('span', { id: 'totals', class: 'muted' });
const followBox = el('vscode-checkbox', { id: 'follow', hidden: '', title: 'Keep the newest step selected as steps arrive (l)' }, 'Follow');
followBox.addEventListener('change', () => post({ type: 'setFollow', follow: (followBox as unknown as { checked: boolean }).checked }));
const notice = el('div', { id: 'notice', role: 'status', class: 'notice', hidden: '' });
const toolbar = el(
  'div',
  { class: 'toolbar' },
  button('prev-step', '◀ Step', 'Previous step ([ or shift+↑)', () => nav('prevStep')),
  button('prev', '↑', 'Previous row (k or ↑)', () => nav('prev')),
  button('next', '↓', 'Next row (j or ↓)', () => nav('next')),
  button('next-step', 'Step ▶', 'Next step (] or shift+↓)', () => nav('nextStep')),
  button('first-failure', 'First failing call', 'Jump to the first tool call that failed (f); e / shift+e: next / previous', () => nav('firstFailure')),
  button('last-touch', 'Last change of a file…', 'Jump to the step that last changed a file (t)', () => post({ type: 'pickFile' })),
  followBox,
);
const spacer = el('div', { id: 'spacer' });
const timeline = el('div', { id: 'timeline', tabindex: '0', role: 'listbox', 'aria-label': 'Trajectory steps' }, spacer);
const detailPane = el('section', { id: 'detail', 'aria-live': 'polite' });
app.replaceChildren(el('header', { id: 'head' }, el('div', { class: 'title-line' }, title, liveBadge, totals), toolbar, notice), el('div', { id: 'main' }, timeline, detailPane));

// ——— timeline ———
function rowElement(i: number): HTMLElement {
  const r = rows[i]!;
  const cls = ['row', `kind-${r.kind}`];
  if (r.error) cls.push('error');
  if (i === selected) cls.push('selected');
  const metrics: string[] = [];
  if (r.changed) metrics.push(`Δ${r.changed}`);
  if (r.tokens !== null) metrics.push(formatTokens(r.tokens));
  if (r.costUsd !== null) metrics.push(formatCost(r.costUsd));
  const e = el(
    'div',
    { class: cls.join(' '), role: 'option', id: `row-${i}`, 'data-index': String(i), 'data-key': r.key, 'data-kind': r.kind, 'aria-selected': String(i === selected) },
    el('span', { class: 'label' }, r.kind === 'agent' || r.kind === 'user' || r.kind === 'system' ? r.label : ''),
    el('span', { class: 'glyph', 'aria-hidden': 'true' }, KIND_GLYPH[r.kind]),
    el('span', { class: 'title' }, r.title),
    el('span', { class: 'summary' }, r.summary),
    metrics.length ? el('span', { class: 'metrics' }, metrics.join(' · ')) : null,
  );
  e.style.top = `${i * ROW_H}px`;
  return e;
}

function renderWindow(): void {
  const top = timeline.scrollTop;
  const height = timeline.clientHeight || 600;
  const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
  const last = Math.min(rows.length - 1, Math.ceil((top + height) / ROW_H) + OVERSCAN);
  for (const [i, e] of rendered) {
    if (i < first || i > last) {
      e.remove();
      rendered.delete(i);
    }
  }
  const fresh: HTMLElement[] = [];
  for (let i = first; i <= last; i++) {
    if (rendered.has(i)) continue;
    const e = rowElement(i);
    rendered.set(i, e);
    fresh.push(e);
  }
  if (fresh.length) spacer.append(...fresh);
}

let scrollQueued = false;
timeline.addEventListener('scroll', () => {
  if (scrollQueued) return;
  scrollQueued = true;
  requestAnimationFrame(() => {
    scrollQueued = false;
    renderWindow();
  });
});
new ResizeObserver(() => renderWindow()).observe(timeline);

/** Drop rendered rows from `from` on (they were replaced) and lay the list out for `rows`. */
function resetRows(from: number): void {
  for (const [i, e] of rendered) {
    if (i >= from) {
      e.remove();
      rendered.delete(i);
    }
  }
  spacer.style.height = `${rows.length * ROW_H}px`;
}

function ensureVisible(i: number): void {
  const top = i * ROW_H;
  const h = timeline.clientHeight || 600;
  if (top < timeline.scrollTop) timeline.scrollTop = top;
  else if (top + ROW_H > timeline.scrollTop + h) timeline.scrollTop = top + ROW_H - h;
}

function setSelected(i: number): void {
  const old = rendered.get(selected);
  if (old) {
    old.classList.remove('selected');
    old.setAttribute('aria-selected', 'false');
  }
  selected = i;
  ensureVisible(i);
  renderWindow();
  const now = rendered.get(i);
  if (now) {
    now.classList.add('selected');
    now.setAttribute('aria-selected', 'true');
    timeline.setAttribute('aria-activedescendant', now.id);
  }
}

timeline.addEventListener('click', (ev) => {
  const row = (ev.target as HTMLElement).closest('.row');
  if (row) post({ type: 'select', index: Number(row.getAttribute('data-index')) });
});

// ——— header ———
function renderHeader(h: TrajectoryHeader): void {
  title.textContent = h.title;
  title.title = h.source;
  liveBadge.toggleAttribute('hidden', !h.live);
  followBox.toggleAttribute('hidden', !h.live);
  const parts = [`${h.agent}${h.model ? ` · ${h.model}` : ''}`, `${formatCount(h.steps)} steps`, `${formatCount(h.toolCalls)} tool calls`];
  if (h.failedCalls) parts.push(`${formatCount(h.failedCalls)} failed`);
  parts.push(`${formatTokens(h.promptTokens + h.completionTokens)} (${formatCount(h.promptTokens)} in / ${formatCount(h.completionTokens)} out)`);
  if (h.costUsd !== null) parts.push(formatCost(h.costUsd));
  if (h.endReason) parts.push(`ended: ${h.endReason}`);
  if (!h.snapshots) parts.push('no workspace snapshots');
  totals.textContent = parts.join(' · ');
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
function showNotice(text: string): void {
  notice.textContent = text;
  notice.removeAttribute('hidden');
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => notice.setAttribute('hidden', ''), 4000);
}

// ——— detail ———
function kv(label: string, cls: string, text: string): HTMLElement {
  return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('pre', { class: cls }, text));
}

function renderDetail(d: StepDetail | null): void {
  if (!d) return void detailPane.replaceChildren(el('p', { class: 'muted' }, 'No step selected.'));
  const head = [d.stepId !== null ? `#${d.stepId}` : null, d.source, d.turn !== null ? `turn ${d.turn}` : null].filter(Boolean).join(' · ');
  const meta: string[] = [];
  if (d.timestamp) meta.push(d.timestamp);
  if (d.model) meta.push(d.model);
  const m = d.metrics;
  const metrics: string[] = [];
  if (m) {
    if (m.promptTokens !== null) metrics.push(`prompt ${formatCount(m.promptTokens)}`);
    if (m.completionTokens !== null) metrics.push(`completion ${formatCount(m.completionTokens)}`);
    if (m.cachedTokens) metrics.push(`cached ${formatCount(m.cachedTokens)}`);
    if (m.costUsd !== null) metrics.push(formatCost(m.costUsd));
  }
  if (d.timing?.llmMs !== null && d.timing?.llmMs !== undefined) metrics.push(`model ${formatMs(d.timing.llmMs)}`);
  if (d.timing?.stepMs !== null && d.timing?.stepMs !== undefined) metrics.push(`step ${formatMs(d.timing.stepMs)}`);
  if (d.finishReason) metrics.push(`finish: ${d.finishReason}`);

  const s = d.snapshot;
  const files = el('section', { id: 'files', class: 'files' }, el('h3', {}, s.changed.length ? `Files changed (${s.changed.length})` : 'Files changed'));
  if (s.changed.length) {
    const list = el('ul', {});
    for (const path of s.changed) {
      const diff = button('', 'Diff', `Open ${path} before and after this step (d opens the first)`, () => post({ type: 'openDiff', step: d.step, path }), false);
      diff.classList.add('diff');
      const prev = button('', 'Earlier change', `Jump to the previous step that changed ${path}`, () => post({ type: 'lastTouch', path, before: d.step }));
      prev.classList.add('prev-touch');
      if (!s.available) diff.setAttribute('disabled', '');
      list.append(el('li', { class: 'file', 'data-path': path }, el('span', { class: 'path' }, path), diff, prev));
    }
    files.append(list);
  }
  if (s.note) files.append(el('p', { class: 'muted note' }, s.note));
  if (s.before && s.after && s.before !== s.after) files.append(el('p', { class: 'muted commits' }, `snapshot ${s.before.slice(0, 8)} → ${s.after.slice(0, 8)}`));

  const calls = d.calls.map((c) => {
    const info = [c.id, c.ms !== null ? formatMs(c.ms) : null, c.result === null ? 'running…' : c.error ? 'failed' : null].filter(Boolean).join(' · ');
    return el(
      'section',
      { class: `call${c.error ? ' error' : ''}${c.id === d.focusCall ? ' focus' : ''}`, 'data-call-id': c.id },
      el('h3', {}, el('span', { class: 'glyph' }, '→ '), el('span', { class: 'call-name' }, c.name), ' ', el('span', { class: 'muted' }, info)),
      kv('arguments', 'call-arguments', c.arguments),
      c.result !== null ? kv(c.error ? 'error' : 'result', 'call-result', c.result) : null,
    );
  });
  const parts: Array<HTMLElement | null> = [
    el('header', { class: 'detail-head' }, el('h2', { id: 'detail-title' }, head), meta.length ? el('p', { class: 'muted' }, meta.join(' · ')) : null),
    metrics.length ? el('p', { id: 'step-metrics', class: 'metrics-line' }, metrics.join(' · ')) : null,
    d.source === 'agent' ? files : null,
    d.message ? el('section', { class: 'message' }, el('h3', {}, d.source === 'agent' ? 'Message' : d.source === 'user' ? 'Instruction' : 'System prompt'), el('pre', { id: 'message' }, d.message)) : null,
    d.reasoning ? el('details', { class: 'reasoning' }, el('summary', {}, 'Reasoning'), el('pre', {}, d.reasoning)) : null,
    ...calls,
    ...d.otherResults.map((r) => el('section', { class: 'call' }, el('h3', {}, '← result'), el('pre', { class: 'call-result' }, r))),
    d.truncated ? el('p', { class: 'muted' }, 'Long text was cut here; the trajectory file has all of it.') : null,
  ];
  detailPane.replaceChildren(...parts.filter((p): p is HTMLElement => p !== null));
  const focus = d.focusCall ? detailPane.querySelector<HTMLElement>(`[data-call-id="${CSS.escape(d.focusCall)}"]`) : null;
  if (focus) focus.scrollIntoView({ block: 'nearest' });
  else detailPane.scrollTop = 0;
}

// ——— keyboard ———
function openFirstDiff(): void {
  const path = detail?.snapshot.changed[0];
  if (detail && path && detail.snapshot.available) post({ type: 'openDiff', step: detail.step, path });
  else showNotice(detail?.snapshot.note ?? 'This step changed no file.');
}

document.addEventListener('keydown', (ev) => {
  const t = ev.target as HTMLElement | null;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const keys: Record<string, () => void> = {
    j: () => nav('next'),
    ArrowDown: () => nav(ev.shiftKey ? 'nextStep' : 'next'),
    k: () => nav('prev'),
    ArrowUp: () => nav(ev.shiftKey ? 'prevStep' : 'prev'),
    ']': () => nav('nextStep'),
    '[': () => nav('prevStep'),
    J: () => nav('nextStep'),
    K: () => nav('prevStep'),
    g: () => nav('first'),
    Home: () => nav('first'),
    G: () => nav('last'),
    End: () => nav('last'),
    f: () => nav('firstFailure'),
    e: () => nav('nextFailure'),
    E: () => nav('prevFailure'),
    t: () => post({ type: 'pickFile' }),
    d: openFirstDiff,
    Enter: openFirstDiff,
    l: () => post({ type: 'setFollow', follow: !follow }),
  };
  const f = keys[ev.key];
  if (!f) return;
  ev.preventDefault();
  f();
});

// ——— messages ———
const host = connect<HostMessage, WebviewMessage>((m) => {
  switch (m.type) {
    case 'init': {
      const t0 = performance.now();
      rows = m.rows;
      follow = m.follow;
      renderHeader(m.header);
      resetRows(0);
      selected = -1;
      setSelected(Math.min(m.selected, rows.length - 1));
      (followBox as unknown as { checked: boolean }).checked = follow;
      if (!firstRenderReported) {
        firstRenderReported = true;
        // After the frame with the rows has been painted.
        requestAnimationFrame(() =>
          setTimeout(() => post({ type: 'rendered', ms: performance.now() - t0, pageMs: performance.now(), rows: rows.length, domRows: spacer.childElementCount }), 0),
        );
      }
      timeline.focus({ preventScroll: true });
      break;
    }
    case 'rows':
      rows = rows.slice(0, m.from).concat(m.rows);
      renderHeader(m.header);
      resetRows(m.from);
      renderWindow();
      break;
    case 'selection':
      follow = m.follow;
      (followBox as unknown as { checked: boolean }).checked = follow;
      detail = m.detail;
      if (m.index !== selected || !rendered.get(m.index)?.classList.contains('selected')) setSelected(m.index);
      renderDetail(m.detail);
      break;
    case 'notice':
      showNotice(m.text);
      break;
    case 'error':
      showNotice(m.text);
      break;
  }
}, (m) => m.type === 'init');
