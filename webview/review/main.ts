/**
 * The Task Review webview: the task (instruction, workspace files, checks, rubric), the latest
 * oracle / nop / model results side by side, the review decision with a note, and next / previous
 * in the review queue. It asks the host for its state when it loads (ready handshake), keeps the
 * note being typed in its own state (per task, across hides and reloads), and builds the page with
 * DOM calls and textContent only: task and agent text is never parsed as HTML.
 *
 * Keys (outside the note): j / k next / previous, a accept, e needs edit, r reject, n focus the
 * note, o run the oracle, u reload. In the note: Escape leaves it, Ctrl/Cmd+Enter accepts.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-tree/index.js';
import '@vscode-elements/elements/dist/vscode-tree-item/index.js';
import type { AgentKind, HostMessage, ResultColumn, ReviewDecision, ReviewState, WebviewMessage, WorkspaceFileView } from '../../src/protocol/review.js';

import { button, el } from '../shared/dom.js';
import { connect } from '../shared/host.js';

interface Persisted {
  state?: ReviewState;
  /** Notes being typed, by task key. */
  drafts: Record<string, string>;
}
const vscode = connect<HostMessage, WebviewMessage>((m) => onHostMessage(m), (m) => m.type === 'state');
const saved = vscode.saved<Persisted>() ?? { drafts: {} };
let state: ReviewState | undefined = saved.state;
const drafts: Record<string, string> = saved.drafts ?? {};
let busy: string | null = null;
let notice: { level: 'info' | 'error'; message: string; key: string } | null = null;
const persist = () => vscode.save({ state, drafts } satisfies Persisted);

const STATUS_LABEL: Record<string, string> = { pending: 'pending', accepted: 'accepted', rejected: 'rejected', needs_edit: 'needs edit' };

const noteValue = (): string => ((document.getElementById('note') as (HTMLElement & { value?: string }) | null)?.value ?? '').toString();

function send(m: WebviewMessage): void {
  // An action starts afresh: the last notice is about what came before it.
  if (m.type !== 'ready' && m.type !== 'openFile' && m.type !== 'openTaskFile' && m.type !== 'showResult') notice = null;
  vscode.post(m);
}

function decide(status: ReviewDecision): void {
  if (!state || state.notReviewable || busy) return;
  send({ type: 'decide', key: state.key, status, note: noteValue() });
}

function navigate(delta: 1 | -1): void {
  if (state && !busy) send({ type: 'navigate', key: state.key, delta });
}

function runAgent(agent: 'oracle' | 'nop'): void {
  if (state && state.run[agent]) send({ type: 'run', key: state.key, agent });
}

const reload = () => state && send({ type: 'reload', key: state.key });

// ---------------------------------------------------------------------------------------------

function header(s: ReviewState): HTMLElement {
  const q = s.queue;
  const where = q.position ? `${q.position} of ${q.length}` : `not in the queue (${q.length})`;
  const nav = el(
    'div',
    { class: 'queue' },
    button('prev', '← Previous', () => navigate(-1), { secondary: true, disabled: !q.prev, title: q.prev ? `${q.prev} (k)` : 'first in the queue' }),
    el('span', { id: 'queue-position', class: 'muted' }, `${where} · review filter: ${q.filter.replace('_', ' ')}`),
    button('next', 'Next →', () => navigate(1), { secondary: true, disabled: !q.next, title: q.next ? `${q.next} (j)` : 'last in the queue' }),
  );
  const status = el('vscode-badge', { id: 'review-status', class: `review ${s.review.status}`, variant: 'counter' }, STATUS_LABEL[s.review.status] ?? s.review.status);
  return el(
    'header',
    {},
    el('div', { class: 'title-row' }, el('h1', {}, el('span', { id: 'task-id' }, s.taskId)), status, nav),
    el('p', { id: 'task-title', class: 'subtitle' }, s.title),
    el('p', { class: 'muted' }, `${s.format} · ${s.location} `, (() => {
      const a = el('a', { href: '#', id: 'open-task-file' }, 'open task file');
      a.addEventListener('click', (e) => {
        e.preventDefault();
        send({ type: 'openTaskFile', key: s.key });
      });
      return a;
    })()),
  );
}

function banners(s: ReviewState): HTMLElement[] {
  const out: HTMLElement[] = [];
  if (s.stale) out.push(el('div', { id: 'stale', class: 'banner warn', role: 'alert' }, el('span', {}, s.stale), button('reload', 'Reload', reload)));
  if (s.loadError) out.push(el('div', { id: 'load-error', class: 'banner error', role: 'alert' }, el('pre', {}, s.loadError), s.stale ? null : button('reload-error', 'Reload', reload, { secondary: true })));
  if (notice && notice.key === s.key) out.push(el('div', { id: 'notice', class: `banner ${notice.level}`, role: 'status' }, notice.message));
  return out;
}

function decisionBox(s: ReviewState): HTMLElement {
  const note = el('vscode-textarea', { id: 'note', rows: '3', resize: 'vertical', placeholder: 'A note for the review block (why it is rejected, what to edit…)', 'aria-label': 'review note' }) as HTMLElement & { value: string };
  note.value = drafts[s.key] ?? s.review.notes ?? '';
  note.addEventListener('input', () => {
    drafts[s.key] = note.value;
    persist();
  });
  const disabled = !!s.notReviewable || !!busy;
  const last = s.review.updated || s.review.reviewer ? `last: ${STATUS_LABEL[s.review.status]}${s.review.reviewer ? ` by ${s.review.reviewer}` : ''}${s.review.updated ? ` · ${s.review.updated}` : ''}` : 'not reviewed yet';
  return el(
    'section',
    { id: 'decision', class: 'decision' },
    note,
    el(
      'div',
      { class: 'actions' },
      button('accept', 'Accept', () => decide('accepted'), { disabled, title: 'Accept (a, or Ctrl+Enter in the note)' }),
      button('needs-edit', 'Needs edit', () => decide('needs_edit'), { disabled, secondary: true, title: 'Needs edit (e)' }),
      button('reject', 'Reject', () => decide('rejected'), { disabled, secondary: true, title: 'Reject (r)' }),
      busy ? el('vscode-progress-ring', { class: 'busy' }) : null,
      el('span', { id: 'busy', class: 'muted' }, busy ?? ''),
      el('span', { id: 'review-last', class: 'muted right' }, last),
    ),
    s.notReviewable ? el('p', { id: 'not-reviewable', class: 'muted' }, s.notReviewable) : null,
    el('p', { class: 'muted keys' }, 'keys: j/k next/previous · a accept · e needs edit · r reject · n note · o run oracle · u reload'),
  );
}

function instruction(s: ReviewState): HTMLElement {
  return el(
    'section',
    { id: 'instruction-section' },
    el('h2', {}, 'Instruction'),
    el('pre', { id: 'instruction', class: 'instruction' }, s.instruction),
  );
}

function details(s: ReviewState): HTMLElement | null {
  if (!s.meta.length) return null;
  return el('section', { id: 'details-section' }, el('h2', {}, 'Details'), el('table', { id: 'meta', class: 'meta' }, ...s.meta.map((m) => el('tr', {}, el('th', {}, m.name), el('td', {}, m.value)))));
}

const size = (b: number | null): string => (b === null ? '' : b < 1024 ? `${b} B` : b < 1024 * 1024 ? `${(b / 1024).toFixed(1)} KB` : `${(b / 1024 / 1024).toFixed(1)} MB`);

/** The workspace as a tree of folders and files; selecting a real file opens it beside. */
function workspaceTree(s: ReviewState): HTMLElement {
  const section = el('section', { id: 'workspace-section' }, el('h2', {}, `Workspace (${s.workspace.total} file${s.workspace.total === 1 ? '' : 's'})`));
  if (s.workspace.error) section.append(el('p', { class: 'banner error' }, s.workspace.error));
  if (!s.workspace.files.length) {
    section.append(el('p', { class: 'muted' }, 'The agent starts with an empty workspace.'));
    return section;
  }
  const tree = el('vscode-tree', { id: 'workspace', 'indent-guides': 'onHover' });
  const folders = new Map<string, HTMLElement>([['', tree]]);
  const folder = (path: string): HTMLElement => {
    const hit = folders.get(path);
    if (hit) return hit;
    const parent = folder(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
    const item = el('vscode-tree-item', { class: 'ws-folder', 'data-folder': `${path}/`, ...(path.includes('/') ? {} : { open: '' }) }, path.slice(path.lastIndexOf('/') + 1));
    parent.append(item);
    folders.set(path, item);
    return item;
  };
  const fileItem = (f: WorkspaceFileView): HTMLElement => {
    const name = f.path.slice(f.path.lastIndexOf('/') + 1);
    return el('vscode-tree-item', { class: `ws-file${f.openable ? '' : ' inline'}`, 'data-file': f.path }, name, el('span', { slot: 'description' }, size(f.bytes)));
  };
  for (const f of s.workspace.files) folder(f.path.includes('/') ? f.path.slice(0, f.path.lastIndexOf('/')) : '').append(fileItem(f));
  tree.addEventListener('vsc-tree-select', (ev) => {
    const d = (ev as CustomEvent<unknown>).detail as HTMLElement[] | { selectedItems?: HTMLElement[] };
    const items = Array.isArray(d) ? d : (d.selectedItems ?? []);
    const path = items[0]?.getAttribute('data-file');
    const f = path ? s.workspace.files.find((x) => x.path === path) : undefined;
    if (f?.openable) send({ type: 'openFile', key: s.key, path: f.path });
  });
  section.append(tree);
  if (s.workspace.total > s.workspace.files.length) section.append(el('p', { class: 'muted' }, `… and ${s.workspace.total - s.workspace.files.length} more files`));
  return section;
}

function checks(s: ReviewState): HTMLElement {
  const rows = s.checks.map((c) =>
    el(
      'tr',
      { class: 'check', 'data-check-id': c.id },
      el('td', {}, el('div', { class: 'check-id' }, c.id), c.description ? el('div', { class: 'muted small' }, c.description) : null),
      el('td', { class: 'check-type' }, c.type, c.weight !== 1 ? el('div', { class: 'muted small' }, `weight ${c.weight}`) : null),
      el('td', {}, el('code', { class: 'check-target' }, c.target)),
      el('td', {}, el('pre', { class: 'check-expected' }, c.expected)),
    ),
  );
  return el(
    'section',
    { id: 'checks-section' },
    el('h2', {}, `Checks (${s.checks.length})`),
    s.checks.length
      ? el('table', { id: 'checks', class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'id'), el('th', {}, 'type'), el('th', {}, 'target'), el('th', {}, 'expected'))), el('tbody', {}, ...rows))
      : el('p', { class: 'muted' }, 'No code checks.'),
    el('p', { class: 'muted' }, `weights: code ${s.weights.code} / rubric ${s.weights.rubric} · passes at reward ≥ ${s.weights.pass}`),
  );
}

function rubric(s: ReviewState): HTMLElement {
  const r = s.rubric;
  const section = el('section', { id: 'rubric-section' }, el('h2', {}, 'Rubric'));
  if (!r) {
    section.append(el('p', { class: 'muted' }, 'No rubric: the code checks decide alone.'));
    return section;
  }
  section.append(el('p', { class: 'muted' }, `score options: ${r.scoreOptions.join(', ')}`));
  if (r.text) section.append(el('pre', { class: 'rubric-text' }, r.text));
  for (const rule of r.rules) {
    section.append(
      el(
        'div',
        { class: 'rule', 'data-rule': rule.name },
        el('div', { class: 'rule-head' }, el('span', { class: 'check-id' }, rule.name), rule.file ? el('code', { class: 'muted' }, rule.file) : null),
        el('table', { class: 'scores' }, ...rule.scores.map((sc) => el('tr', {}, el('th', {}, sc.score), el('td', {}, sc.text)))),
      ),
    );
  }
  return section;
}

const scoreClass = (v: string | undefined): string => (v === undefined ? 'none' : v === 'error' ? 'error' : Number(v) >= 1 ? 'full' : Number(v) <= 0 ? 'zero' : 'partial');

function results(s: ReviewState): HTMLElement {
  const head = (c: ResultColumn): HTMLElement => {
    const r = c.run;
    const cell = el('th', { class: `result-head ${c.kind}`, 'data-kind': c.kind }, el('div', { class: 'kind' }, c.label));
    if (!r) {
      cell.append(el('div', { class: 'muted small' }, 'no run yet'));
      return cell;
    }
    cell.append(
      el('div', { class: 'result-reward' }, el('span', { class: `reward ${r.state}` }, r.reward), ' ', el('span', { class: `state ${r.state}` }, r.state)),
      el('div', { class: 'muted small' }, `${r.runId}${r.attempts > 1 ? ` · ${r.passed}/${r.attempts} passed · attempt ${r.attempt}` : ''}`),
      el('div', { class: 'muted small' }, r.finishedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
      ...(r.error ? [el('div', { class: 'error-text small' }, r.error)] : []),
      ...r.stale.map((w) => el('div', { class: 'stale small', title: 'this result may not describe the task as it is now' }, `⚠ ${w}`)),
    );
    if (r.verification) {
      const a = el('a', { href: '#', class: 'small show-result' }, 'verification');
      a.addEventListener('click', (e) => {
        e.preventDefault();
        send({ type: 'showResult', key: s.key, kind: c.kind as AgentKind });
      });
      cell.append(a);
    }
    return cell;
  };
  const rows = s.resultRows.map((row) =>
    el(
      'tr',
      { class: 'result-row', 'data-check-id': row.id },
      el('th', { class: row.inTask ? '' : 'muted', title: row.inTask ? '' : 'not a check of the task any more' }, row.id),
      ...s.results.map((c) => {
        const v = c.run?.checks[row.id];
        return el('td', { class: `score ${scoreClass(v)}`, 'data-kind': c.kind }, v ?? '—');
      }),
    ),
  );
  const rubricRow = s.results.some((c) => c.run?.rubric)
    ? el('tr', { class: 'result-row rubric-row' }, el('th', {}, 'rubric'), ...s.results.map((c) => el('td', { class: `score ${scoreClass(c.run?.rubric ?? undefined)}`, 'data-kind': c.kind }, c.run?.rubric ?? '—')))
    : null;
  const running = s.run.running;
  return el(
    'section',
    { id: 'results-section' },
    el('h2', {}, 'Latest results'),
    el(
      'div',
      { class: 'actions' },
      button('run-oracle', running === 'oracle' ? 'Oracle running…' : 'Run oracle', () => runAgent('oracle'), { disabled: !s.run.oracle, title: 'Run the oracle in the terminal (o)' }),
      button('run-nop', running === 'nop' ? 'Nop running…' : 'Run nop', () => runAgent('nop'), { disabled: !s.run.nop, secondary: true }),
      running ? el('vscode-progress-ring', { class: 'busy' }) : null,
      s.run.reason ? el('span', { id: 'run-reason', class: 'muted' }, s.run.reason) : null,
    ),
    el('table', { id: 'results', class: 'grid results' }, el('thead', {}, el('tr', {}, el('th', {}, ''), ...s.results.map(head))), el('tbody', {}, ...rows, rubricRow)),
    el('p', { class: 'muted small' }, 'A sound task scores 1 with the oracle and 0 with nop. Model: the latest run of any other agent.'),
  );
}

function render(): void {
  const app = document.getElementById('app')!;
  if (!state) return;
  const s = state;
  const hadFocus = document.activeElement?.id === 'note';
  app.replaceChildren(
    header(s),
    ...banners(s),
    decisionBox(s),
    el('div', { class: 'columns' }, el('div', { class: 'col' }, instruction(s), workspaceTree(s), details(s)), el('div', { class: 'col' }, results(s), checks(s), rubric(s))),
  );
  if (hadFocus) (document.getElementById('note') as HTMLElement | null)?.focus();
}

/** Only the busy line changes: no re-render (the note keeps its focus and caret). */
function renderBusy(): void {
  const line = document.getElementById('busy');
  if (line) line.textContent = busy ?? '';
  for (const id of ['accept', 'needs-edit', 'reject', 'prev', 'next']) {
    const b = document.getElementById(id);
    if (!b || !state) continue;
    const off = busy !== null || (['accept', 'needs-edit', 'reject'].includes(id) ? !!state.notReviewable : id === 'prev' ? !state.queue.prev : !state.queue.next);
    b.toggleAttribute('disabled', off);
  }
}

function onHostMessage(m: HostMessage): void {
  if (m.type === 'state') {
    if (state && m.state.key !== state.key) notice = null;
    state = m.state;
    persist();
    render();
  } else if (m.type === 'busy') {
    busy = m.message;
    renderBusy();
  } else if (m.type === 'notice') {
    notice = { level: m.level, message: m.message, key: m.key };
    // A decision that was saved used the note: the draft is done.
    if (m.level === 'info') delete drafts[m.key];
    persist();
    render();
  }
}

const editing = (t: EventTarget | null): boolean => {
  const e = t as HTMLElement | null;
  return !!e && (e.tagName === 'TEXTAREA' || e.tagName === 'INPUT' || e.tagName === 'VSCODE-TEXTAREA' || e.tagName === 'VSCODE-TEXTFIELD' || e.isContentEditable);
};

window.addEventListener('keydown', (e) => {
  if (!state) return;
  if (editing(e.target)) {
    if (e.key === 'Escape') (e.target as HTMLElement).blur();
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      decide('accepted');
    }
    return;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const actions: Record<string, () => void> = {
    j: () => navigate(1),
    k: () => navigate(-1),
    a: () => decide('accepted'),
    e: () => decide('needs_edit'),
    r: () => decide('rejected'),
    o: () => runAgent('oracle'),
    u: () => reload(),
    n: () => (document.getElementById('note') as HTMLElement | null)?.focus(),
  };
  const act = actions[e.key];
  if (act) {
    e.preventDefault();
    act();
  }
});

if (state) render();
