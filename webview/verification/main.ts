/**
 * The Verification webview: score, status, each check (expected vs actual, message, sub-scores),
 * the rubric and timings. It asks the host for its state when it loads (ready handshake) and
 * builds the page with DOM calls and textContent only: task and agent text is never parsed as HTML.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { CheckRow, HostMessage, VerificationState, WebviewMessage } from '../../src/protocol/verification.js';

declare function acquireVsCodeApi(): { postMessage(m: WebviewMessage): void; setState(s: unknown): void; getState(): unknown };
const vscode = acquireVsCodeApi();

type Attrs = Record<string, string>;
/** Create an element; children that are strings become text nodes. */
function el(tag: string, attrs: Attrs = {}, ...children: Array<Node | string | null | undefined>): HTMLElement {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function badge(text: string, variant: string, id: string): HTMLElement {
  const b = el('vscode-badge', { id, class: `status ${variant}`, variant: 'counter' });
  b.textContent = text;
  return b;
}

function block(label: string, cls: string, text: string | undefined): HTMLElement | null {
  if (text === undefined || text === '') return null;
  return el('div', { class: 'kv' }, el('span', { class: 'k' }, label), el('pre', { class: cls }, text));
}

function renderCheck(c: CheckRow): HTMLElement {
  const head = el(
    'div',
    { class: 'check-head' },
    el('span', { class: `mark ${c.state}`, 'aria-label': c.state, title: c.state }),
    el('span', { class: 'check-id' }, c.id),
    el('span', { class: 'check-type muted' }, `${c.type} · weight ${c.weight}`),
    el('span', { class: 'check-score' }, c.score),
  );
  const details = c.details.length
    ? el('ul', { class: 'details' }, ...c.details.map((d) => el('li', {}, el('span', { class: 'detail-name' }, d.name), ' ', el('span', { class: 'detail-score' }, d.score))))
    : null;
  const msg = el('pre', { class: 'check-message' }, c.message);
  msg.addEventListener('click', (ev) => {
    // Paths in messages are plain text; ctrl/cmd-click on a word that looks like a path opens it.
    if (!(ev as MouseEvent).metaKey && !(ev as MouseEvent).ctrlKey) return;
    const word = window.getSelection()?.toString().trim();
    if (word) vscode.postMessage({ type: 'openFile', path: word });
  });
  return el('section', { class: `check ${c.state}`, 'data-check-id': c.id }, head, msg, block('expected', 'check-expected', c.expected), block('actual', 'check-actual', c.actual), details);
}

function render(s: VerificationState, busy: string | null): void {
  const app = document.getElementById('app')!;
  const src = s.source.kind === 'trial' ? `run ${s.source.runId} · agent ${s.source.agent} · attempt ${s.source.attempt}` : `folder ${s.source.folder}`;
  const actions = el('div', { class: 'actions' });
  if (s.source.kind === 'folder') {
    const b = el('vscode-button', { id: 'reverify' }, 'Verify again');
    b.addEventListener('click', () => vscode.postMessage({ type: 'reverify' }));
    actions.append(b);
  }
  const reveal = el('vscode-button', { id: 'reveal', secondary: '' }, s.source.kind === 'trial' ? 'Reveal trial folder' : 'Reveal folder');
  reveal.addEventListener('click', () => vscode.postMessage({ type: 'revealFolder' }));
  actions.append(reveal);
  if (s.source.kind === 'trial') {
    const traj = el('vscode-button', { id: 'open-trajectory', secondary: '' }, 'Open trajectory');
    traj.addEventListener('click', () => vscode.postMessage({ type: 'openTrajectory' }));
    actions.append(traj);
  }
  if (busy) actions.append(el('vscode-progress-ring', { class: 'busy' }), el('span', { class: 'muted' }, busy));

  const passedN = s.checks.filter((c) => c.state === 'passed').length;
  const header = el(
    'header',
    {},
    el('h1', {}, el('span', { id: 'task-id' }, s.taskId)),
    el('div', { class: 'summary' }, el('span', { id: 'score', class: 'score' }, s.score), badge(s.status, s.status, 'status')),
    el('p', { class: 'muted' }, `${src} · pass at ≥ ${s.passThreshold} · ${passedN}/${s.checks.length} checks passed · weights code ${s.weights.code.toFixed(2)} / rubric ${s.weights.rubric.toFixed(2)}`),
    actions,
  );
  const error = s.error ? el('p', { id: 'error', class: 'error-box' }, s.error) : null;
  const crash = s.agentCrash ? el('p', { id: 'agent-crash', class: 'error-box' }, `The agent crashed (${s.agentCrash}). The score is what the verifier found in the workspace it left.`) : null;
  const checks = el('div', { id: 'checks' }, ...s.checks.map(renderCheck));
  const r = s.rubric;
  const rubric = el(
    'section',
    { id: 'rubric', class: `rubric ${r.status}` },
    el('h2', {}, r.model ? `Rubric (judged by ${r.model})` : 'Rubric'),
    el('p', { class: 'rubric-summary' }, r.score === null ? r.message : `${r.score} — ${r.message}`),
    r.error ? el('p', { class: 'error-box rubric-error' }, `judge failed: ${r.error}`) : null,
    ...r.judgments.map((j) =>
      el(
        'div',
        { class: 'judgment', 'data-rule': j.rule },
        el('div', { class: 'check-head' }, el('span', { class: 'check-id' }, j.rule), el('span', { class: 'check-type muted' }, j.file ?? ''), el('span', { class: 'check-score' }, j.score)),
        el('pre', { class: 'judgment-reason' }, j.reason),
      ),
    ),
  );
  const timing = el(
    'section',
    { id: 'timings' },
    el('h2', {}, 'Timings'),
    el('table', {}, ...s.timings.map((t) => el('tr', {}, el('th', {}, t.phase), el('td', {}, `${t.ms} ms`)))),
    s.agentExit ? el('p', { class: 'muted' }, `agent: ${s.agentExit}`) : null,
    el('p', { class: 'muted' }, `verified ${s.verifiedAt}`),
  );
  app.replaceChildren(header, ...(crash ? [crash] : []), ...(error ? [error] : []), el('h2', {}, `Checks (${s.checks.length})`), checks, rubric, timing);
}

let state: VerificationState | undefined = vscode.getState() as VerificationState | undefined;
let busy: string | null = null;
if (state) render(state, busy);
window.addEventListener('message', (ev: MessageEvent<HostMessage>) => {
  const m = ev.data;
  if (m?.type === 'state') {
    state = m.state;
    vscode.setState(state);
  } else if (m?.type === 'busy') busy = m.message;
  if (state) render(state, busy);
});
// Ask for the state until it arrives: a message sent while the view was still being wired up is
// not lost for good.
vscode.postMessage({ type: 'ready' });
const retry = setInterval(() => (state ? clearInterval(retry) : vscode.postMessage({ type: 'ready' })), 1000);
