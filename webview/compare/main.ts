/**
 * The run comparison webview: two runs side by side — the headline numbers of each and their
 * change, then every shared task with its reward in A and B and the change, regressions first.
 * Built with DOM calls and text nodes only (shared/dom.ts): run and task text is never HTML.
 * Clicking a reward opens that trial's Verification view.
 */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { CompareRow, CompareSide, CompareState, HostMessage, WebviewMessage } from '../../src/protocol/compare.js';
import { button, el } from '../shared/dom.js';
import { connect } from '../shared/host.js';

const KIND_LABEL: Record<CompareRow['kind'], string> = { regression: 'regression', gain: 'gain', unchanged: 'unchanged' };

function side(label: 'A' | 'B', s: CompareSide): HTMLElement {
  return el(
    'div',
    { class: 'side', id: `side-${label.toLowerCase()}` },
    el('span', { class: 'side-label' }, label),
    el('div', {}, el('div', { class: 'run-id' }, s.runId), el('div', { class: 'muted' }, `agent ${s.agent} · ${s.createdAt} · ${s.location}`)),
  );
}

function reward(value: string, side: 'a' | 'b', taskId: string): HTMLElement {
  const a = el('a', { href: '#', class: 'reward', title: `Show the verification of ${taskId} in run ${side.toUpperCase()}` }, value);
  a.addEventListener('click', (ev) => {
    ev.preventDefault();
    link.post({ type: 'openTrial', side, taskId });
  });
  return a;
}

function render(s: CompareState): void {
  const app = document.getElementById('app')!;
  const headline = el(
    'table',
    { id: 'headline', class: 'grid' },
    el('thead', {}, el('tr', {}, ...['', 'A pass', 'B pass', 'Δ pass', 'A reward', 'B reward', 'Δ reward'].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...s.headline.map((h) =>
        el(
          'tr',
          {},
          el('th', { scope: 'row' }, h.label),
          el('td', {}, h.aPass),
          el('td', {}, h.bPass),
          el('td', { class: `delta ${h.passTone}` }, h.deltaPass),
          el('td', {}, h.aReward),
          el('td', {}, h.bReward),
          el('td', { class: `delta ${h.rewardTone}` }, h.deltaReward),
        ),
      ),
    ),
  );
  const c = s.counts;
  const summary = el(
    'p',
    { id: 'counts' },
    el('span', { class: 'delta worse' }, `${c.regressions} regression${c.regressions === 1 ? '' : 's'}`),
    ' · ',
    el('span', { class: 'delta better' }, `${c.gains} gain${c.gains === 1 ? '' : 's'}`),
    ` · ${c.unchanged} unchanged`,
    s.threshold > 0 ? ` (changes up to ${s.threshold} ignored)` : '',
  );
  const tasks = el(
    'table',
    { id: 'tasks', class: 'grid' },
    el('thead', {}, el('tr', {}, ...['task', 'category', 'A reward', 'B reward', 'Δ reward', 'A pass', 'B pass', ''].map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...s.rows.map((r) =>
        el(
          'tr',
          { class: `task ${r.kind}`, 'data-task-id': r.taskId, 'data-kind': r.kind },
          el('th', { scope: 'row', class: 'task-id' }, r.taskId),
          el('td', { class: 'muted' }, r.category ?? ''),
          el('td', { class: 'a-reward' }, reward(r.aReward, 'a', r.taskId)),
          el('td', { class: 'b-reward' }, reward(r.bReward, 'b', r.taskId)),
          el('td', { class: `delta ${r.kind === 'regression' ? 'worse' : r.kind === 'gain' ? 'better' : 'same'}` }, r.deltaReward),
          el('td', {}, r.aPass),
          el('td', {}, r.bPass),
          el('td', {}, el('vscode-badge', { class: `kind ${r.kind}`, variant: 'counter' }, KIND_LABEL[r.kind])),
        ),
      ),
    ),
  );
  const only = (label: string, id: string, ids: string[]) =>
    el('p', { id, class: 'only' }, el('span', { class: 'k' }, `${label} (${ids.length})`), ids.length ? `: ${ids.join(', ')}` : '');
  app.replaceChildren(
    el('header', {}, el('h1', {}, 'Run comparison'), el('div', { class: 'sides' }, side('A', s.a), side('B', s.b)), el('div', { class: 'actions' }, button('swap', 'Swap A and B', () => link.post({ type: 'swap' }), { secondary: true }))),
    headline,
    summary,
    s.rows.length ? tasks : el('p', { class: 'muted' }, 'The two runs share no finished task.'),
    only('Only in A', 'only-a', s.onlyInA),
    only('Only in B', 'only-b', s.onlyInB),
  );
}

let state: CompareState | undefined;
const link = connect<HostMessage, WebviewMessage>(
  (m) => {
    if (m.type === 'state') {
      state = m.state;
      link.save(state);
      render(state);
    } else if (m.type === 'notice') {
      const n = document.getElementById('notice') ?? document.body.appendChild(el('p', { id: 'notice', role: 'status', class: 'notice' }));
      n.textContent = m.text;
    }
  },
  (m) => m.type === 'state',
);
state = link.saved<CompareState>();
if (state) render(state);
