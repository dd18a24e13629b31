/**
 * The Verification webview: score, status, each check (expected vs actual, message, sub-scores),
 * the rubric and timings. It asks the host for its state when it loads (ready handshake) and
 * builds the page with DOM calls and textContent only: task and agent text is never parsed as HTML.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { CheckRow, HostMessage, VerificationState, WebviewMessage } from '../../src/protocol/verification.js';

import { connect } from '../shared/host.js';
import { block, el } from '../shared/dom.js';

function badge(text: string, variant: string, id: string): HTMLElement {
  const b = el('vscode-badge', { id, class: `status ${variant}`, variant: 'counter' });
  b.textContent = text;
  return b;
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
  if (c.line !== undefined) {
    // The check as written: task.yaml at its line.
    const link = el('a', { class: 'check-link', href: '#', title: `Open task.yaml at line ${c.line}` }, `task.yaml:${c.line}`);
    link.addEventListener('click', (ev) => {
      ev.preventDefault();
      vscode.post({ type: 'openCheck', id: c.id });
    });
    head.append(link);
  }
  const details = c.details.length
    ? el('ul', { class: 'details' }, ...c.details.map((d) => el('li', {}, el('span', { class: 'detail-name' }, d.name), ' ', el('span', { class: 'detail-score' }, d.score))))
    : null;
  const msg = el('pre', { class: 'check-message' }, c.message);
  msg.addEventListener('click', (ev) => {
    // Paths in messages are plain text; ctrl/cmd-click on a word that looks like a path opens it.
    if (!(ev as MouseEvent).metaKey && !(ev as MouseEvent).ctrlKey) return;
    const word = window.getSelection()?.toString().trim();
    if (word) vscode.post({ type: 'openFile', path: word });
  });
  return el('section', { class: `check ${c.state}`, 'data-check-id': c.id }, head, msg, block('expected', 'check-expected', c.expected), block('tolerance', 'check-tolerance', c.tolerance), block('actual', 'check-actual', c.actual), details);
}

function render(s: VerificationState, busy: string | null): void {
  const app = document.getElementById('app')!;
  const src = s.source.kind === 'trial' ? `run ${s.source.runId} · agent ${s.source.agent} · attempt ${s.source.attempt}` : `folder ${s.source.folder}`;
  const actions = el('div', { class: 'actions' });
  if (s.source.kind === 'folder') {
    const b = el('vscode-button', { id: 'reverify' }, 'Verify again');
    b.addEventListener('click', () => vscode.post({ type: 'reverify' }));
    actions.append(b);
  }
  const reveal = el('vscode-button', { id: 'reveal', secondary: '' }, s.source.kind === 'trial' ? 'Reveal trial folder' : 'Reveal folder');
  reveal.addEventListener('click', () => vscode.post({ type: 'revealFolder' }));
  actions.append(reveal);
  if (s.source.kind === 'trial') {
    const traj = el('vscode-button', { id: 'open-trajectory', secondary: '' }, 'Open trajectory');
    traj.addEventListener('click', () => vscode.post({ type: 'openTrajectory' }));
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
  const failing = s.checks.length - passedN;
  const checksTitle = failing ? `Checks (${s.checks.length}, ${failing} not passed first)` : `Checks (${s.checks.length})`;
  app.replaceChildren(header, ...(crash ? [crash] : []), ...(error ? [error] : []), el('h2', {}, checksTitle), checks, rubric, timing);
}

let state: VerificationState | undefined;
let busy: string | null = null;
const vscode = connect<HostMessage, WebviewMessage>(
  (m) => {
    if (m.type === 'state') {
      state = m.state;
      vscode.save(state);
    } else if (m.type === 'busy') busy = m.message;
    if (state) render(state, busy);
  },
  (m) => m.type === 'state',
);
state = vscode.saved<VerificationState>();
if (state) render(state, busy);
