/** The trajectory debugger's view model, its files, the snapshot reader and the webview protocol. */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ATIF_VERSION, AtifTrajectory, type AtifStep } from '../../src/core/trace/atif.ts';
import { WorkspaceSnapshots } from '../../src/core/workspace/snapshots.ts';
import { argumentSummary, MAX_DETAIL_TEXT, TrajectoryDebugger, trajectoryPathOf, type SnapshotRef } from '../../src/extension/model/trajectory-debugger.ts';
import { eventsSummary, locateTrajectory, readEvents, readSnapshots, readTrajectory } from '../../src/extension/model/trajectory-files.ts';
import { parseWebviewMessage } from '../../src/protocol/trajectory.ts';
import { formatCost, formatCount, formatMs, formatTokens } from '../../webview/trajectory/format.ts';
import { tempDir } from '../helpers.ts';
import { syntheticTrajectory } from '../trajectory-fixtures.ts';

// Snapshot commits: C0 the materialized workspace, then after turns 2, 3 and 5.
const C0 = 'c0'.repeat(20);
const C2 = 'c2'.repeat(20);
const C3 = 'c3'.repeat(20);
const C5 = 'c5'.repeat(20);

const usage = (p: number, c: number, cost: number) => ({ prompt_tokens: p, completion_tokens: c, cost_usd: cost });

/**
 * Six agent turns: 1 reads, 2 writes summary.md, 3 makes a failing edit and a good one to
 * notes.txt, 4 runs a command (changes nothing), 5 rewrites summary.md, 6 answers.
 */
function trajectory(): AtifTrajectory {
  const agent = (id: number, s: Partial<AtifStep>): AtifStep => ({ step_id: id, source: 'agent', message: '', model_name: 'mock-model', ...s }) as AtifStep;
  const steps: AtifStep[] = [
    { step_id: 1, source: 'system', message: 'You are an agent.' },
    { step_id: 2, source: 'user', message: 'Summarise notes.txt into summary.md\nand fix the typo.' },
    agent(3, {
      message: 'Let me read the notes.',
      tool_calls: [{ tool_call_id: 'r1', function_name: 'read', arguments: { path: 'notes.txt' } }],
      observation: { results: [{ source_call_id: 'r1', content: 'teh notes\nline 2' }] },
      metrics: usage(100, 20, 0.00014),
      extra: { timing: { step_ms: 40, llm_ms: 30 }, finish_reason: 'tool_calls' },
    }),
    agent(4, {
      tool_calls: [{ tool_call_id: 'w1', function_name: 'write', arguments: { file_path: 'summary.md', content: '# Summary\n' } }],
      observation: { results: [{ source_call_id: 'w1', content: 'Successfully wrote summary.md' }] },
      metrics: usage(150, 30, 0.00021),
      extra: { snapshot: C2 },
    }),
    agent(5, {
      tool_calls: [
        { tool_call_id: 'e1', function_name: 'edit', arguments: { path: 'notes.txt', oldText: 'the', newText: 'the' } },
        { tool_call_id: 'e2', function_name: 'edit', arguments: { path: 'notes.txt', oldText: 'teh', newText: 'the' } },
      ],
      observation: {
        results: [
          { source_call_id: 'e1', content: 'Error: oldText not found in notes.txt', extra: { is_error: true } },
          { source_call_id: 'e2', content: 'Successfully replaced text in notes.txt' },
        ],
      },
      metrics: usage(200, 40, 0.00028),
      extra: { snapshot: C3 },
    }),
    agent(6, {
      tool_calls: [{ tool_call_id: 'x1', function_name: 'exec', arguments: { command: 'wc -l notes.txt' } }],
      observation: { results: [{ source_call_id: 'x1', content: '2 notes.txt' }] },
      metrics: usage(250, 10, 0.00027),
    }),
    agent(7, {
      tool_calls: [{ tool_call_id: 'w2', function_name: 'write', arguments: { path: 'summary.md', content: '# Summary\n\nTwo lines.\n' } }],
      observation: { results: [{ source_call_id: 'w2', content: 'Successfully wrote summary.md' }] },
      metrics: usage(300, 30, 0.00036),
      extra: { snapshot: C5 },
    }),
    agent(8, { message: 'Done.', metrics: usage(350, 5, 0.00036) }),
  ];
  return AtifTrajectory.parse({ schema_version: ATIF_VERSION, session_id: 's', agent: { name: 'clawgym-claw', version: '0.1.0', model_name: 'mock-model' }, steps, extra: { end_reason: 'model_stopped' } });
}

/** The events.jsonl the claw agent writes for the same run (the order it writes them in). */
function events(): Record<string, unknown>[] {
  const ev: Record<string, unknown>[] = [{ type: 'trial_start', task_id: 't', attempt: 1 }, { type: 'snapshot', step: 0, commit: C0, changed: [] }];
  const turn = (n: number, text: string | null, calls: Array<[string, string, Record<string, unknown>, string, boolean]>, snap?: [string, string[]]) => {
    ev.push({ type: 'step', step: n, state: 'start' });
    ev.push({ type: 'llm_call', step: n, ms: 30, attempts: 1, prompt_tokens: 100 * n, completion_tokens: 10, cost_usd: 0.0001 * n, finish_reason: calls.length ? 'tool_calls' : 'stop' });
    if (text) ev.push({ type: 'assistant_text', step: n, text });
    for (const [id, name, args] of calls) ev.push({ type: 'tool_call', step: n, id, name, arguments: args });
    for (const [id, name, , out, err] of calls) ev.push({ type: 'tool_result', step: n, id, name, is_error: err, ms: 7, text: out });
    if (snap) ev.push({ type: 'snapshot', step: n, commit: snap[0], changed: snap[1] });
    ev.push({ type: 'step', step: n, state: 'end', ms: 50 });
  };
  turn(1, 'Let me read the notes.', [['r1', 'read', { path: 'notes.txt' }, 'teh notes\nline 2', false]]);
  turn(2, null, [['w1', 'write', { file_path: 'summary.md', content: '# Summary\n' }, 'Successfully wrote summary.md', false]], [C2, ['summary.md']]);
  turn(3, null, [
    ['e1', 'edit', { path: 'notes.txt', oldText: 'the', newText: 'the' }, 'Error: oldText not found in notes.txt', true],
    ['e2', 'edit', { path: 'notes.txt', oldText: 'teh', newText: 'the' }, 'Successfully replaced text in notes.txt', false],
  ], [C3, ['notes.txt']]);
  turn(4, null, [['x1', 'exec', { command: 'wc -l notes.txt' }, '2 notes.txt', false]]);
  turn(5, null, [['w2', 'write', { path: 'summary.md', content: '# Summary\n\nTwo lines.\n' }, 'Successfully wrote summary.md', false]], [C5, ['summary.md']]);
  turn(6, 'Done.', []);
  ev.push({ type: 'agent_end', reason: 'model_stopped', steps: 6, message: null });
  ev.push({ type: 'trial_end', reward: 1, passed: true, error: null });
  return ev;
}

function finalDebugger(): TrajectoryDebugger {
  const d = new TrajectoryDebugger({ title: 't #1', source: '/runs/r/trials/t/1', snapshotsAvailable: true });
  d.load({ trajectory: trajectory(), events: events() });
  return d;
}

const keys = (d: TrajectoryDebugger) => d.rows.map((r) => r.key);
const selectedKey = (d: TrajectoryDebugger) => d.rows[d.selected]!.key;
const stepOfKey = (d: TrajectoryDebugger, key: string) => d.rows[d.rowOfKey(key)!]!.step;

test('rows: one per system/user step, an agent row per turn, then each call and its result', () => {
  const d = finalDebugger();
  assert.deepEqual(keys(d), [
    's1', 's2',
    'a1', 'a1/call/0', 'a1/obs/0',
    'a2', 'a2/call/0', 'a2/obs/0',
    'a3', 'a3/call/0', 'a3/obs/0', 'a3/call/1', 'a3/obs/1',
    'a4', 'a4/call/0', 'a4/obs/0',
    'a5', 'a5/call/0', 'a5/obs/0',
    'a6',
  ]);
  const byKey = (k: string) => d.rows[d.rowOfKey(k)!]!;
  assert.deepEqual(
    { kind: byKey('a1').kind, label: byKey('a1').label, summary: byKey('a1').summary, tokens: byKey('a1').tokens, cost: byKey('a1').costUsd },
    { kind: 'agent', label: '#3', summary: 'Let me read the notes.', tokens: 120, cost: 0.00014 },
  );
  assert.equal(byKey('s2').summary, 'Summarise notes.txt into summary.md and fix the typo.', 'one line');
  assert.equal(byKey('a2').summary, '(1 tool call)', 'an agent step without text says what it did');
  assert.equal(byKey('a2/call/0').summary, 'summary.md', 'a file tool shows its path (file_path alias)');
  assert.equal(byKey('a4/call/0').summary, 'wc -l notes.txt', 'exec shows its command');
  assert.deepEqual([byKey('a3/call/0').error, byKey('a3/obs/0').error, byKey('a3/call/1').error], [true, true, false]);
  assert.deepEqual([byKey('a2').changed, byKey('a3').changed, byKey('a4').changed], [1, 1, 0]);
  // Tool timings come from the events (ATIF has none per call).
  assert.equal(d.detail(d.rowOfKey('a3/call/1'))!.calls[1]!.ms, 7);
  const h = d.header();
  assert.deepEqual([h.steps, h.toolCalls, h.failedCalls, h.promptTokens, h.completionTokens, h.live, h.endReason, h.snapshots], [8, 6, 1, 1350, 135, false, 'model_stopped', true]);
  assert.ok(Math.abs(h.costUsd! - 0.00162) < 1e-12, String(h.costUsd));
});

test('stepping stays within bounds, row by row and step by step', () => {
  const d = finalDebugger();
  assert.equal(d.selected, 0);
  assert.equal(d.navigate('prev'), false, 'nothing before the first row');
  assert.equal(d.selected, 0);
  assert.equal(d.navigate('prevStep'), false);
  assert.ok(d.navigate('next'));
  assert.equal(selectedKey(d), 's2');
  assert.ok(d.navigate('nextStep'));
  assert.equal(selectedKey(d), 'a1');
  assert.ok(d.navigate('nextStep'));
  assert.equal(selectedKey(d), 'a2');
  assert.ok(d.navigate('next'));
  assert.ok(d.navigate('next'));
  assert.equal(selectedKey(d), 'a2/obs/0');
  // Back from inside a step: first to the step's own first row, then to the step before.
  assert.ok(d.navigate('prevStep'));
  assert.equal(selectedKey(d), 'a2');
  assert.ok(d.navigate('prevStep'));
  assert.equal(selectedKey(d), 'a1');
  assert.ok(d.navigate('last'));
  assert.equal(selectedKey(d), 'a6');
  assert.equal(d.navigate('next'), false, 'nothing after the last row');
  assert.equal(d.navigate('nextStep'), false);
  assert.equal(selectedKey(d), 'a6');
  assert.ok(d.navigate('first'));
  assert.equal(d.selected, 0);
  assert.equal(d.select(999), d.rows.length - 1, 'select clamps');
  assert.equal(d.select(-4), 0);
  assert.equal(d.follow, false, 'a finished trajectory has nothing to follow');
});

test('jump to the first failing tool call, and between failures', () => {
  const d = finalDebugger();
  assert.ok(d.navigate('firstFailure'));
  assert.equal(selectedKey(d), 'a3/call/0');
  assert.equal(d.detail()!.focusCall, 'e1', 'the detail pane is about that call');
  assert.equal(d.navigate('nextFailure'), false, 'only one call failed');
  assert.equal(selectedKey(d), 'a3/call/0');
  d.navigate('last');
  assert.ok(d.navigate('prevFailure'));
  assert.equal(selectedKey(d), 'a3/call/0');
  // A trajectory without failures has no first failure; the selection stays.
  const ok = new TrajectoryDebugger({ title: 'x', source: 'x' });
  ok.load({ trajectory: syntheticTrajectory(40) });
  ok.select(5);
  assert.equal(ok.navigate('firstFailure'), false);
  assert.equal(ok.selected, 5);
});

test('the step that last changed a file, and the one before it', () => {
  const d = finalDebugger();
  assert.deepEqual(
    d.files().map((f) => [f.path, f.steps.map((s) => d.steps[s]!.key)]),
    [['notes.txt', ['a3']], ['summary.md', ['a2', 'a5']]],
  );
  assert.ok(d.lastTouch('summary.md'));
  assert.equal(selectedKey(d), 'a5', 'its agent row');
  assert.ok(d.lastTouch('summary.md', d.selectedStep), 'the change before the selected step');
  assert.equal(selectedKey(d), 'a2');
  assert.equal(d.lastTouch('summary.md', d.selectedStep), false, 'none before the first');
  assert.equal(selectedKey(d), 'a2');
  assert.ok(d.lastTouch('notes.txt'));
  assert.equal(selectedKey(d), 'a3');
  assert.equal(d.lastTouch('nowhere.txt'), false);
  // Reads do not count as changes.
  assert.equal(d.lastTouchStep('notes.txt', stepOfKey(d, 'a3')), null);
});

test('without snapshots, the files a step changed are the paths of its successful write and edit calls', () => {
  const t = trajectory();
  for (const s of t.steps) delete s.extra;
  const d = new TrajectoryDebugger({ title: 'x', source: 'x' });
  d.load({ trajectory: t });
  const files = (x: TrajectoryDebugger) => x.files().map((f) => [f.path, f.steps.map((s) => x.steps[s]!.key)]);
  assert.deepEqual(files(d), [['notes.txt', ['a3']], ['summary.md', ['a2', 'a5']]], 'the failed edit e1 does not count, the read does not');
  const det = d.detail(d.rowOfKey('a2'))!;
  assert.deepEqual(det.snapshot, { before: null, after: null, changed: [], available: false, note: 'No workspace snapshots were recorded with this trajectory.' });
  assert.equal(d.header().snapshots, false);
  // Snapshot commits in the trajectory but no events or repository to say what they changed:
  // the calls of the steps that made a snapshot; steps without one changed nothing.
  const u = trajectory();
  u.steps[5]!.tool_calls!.push({ tool_call_id: 'w3', function_name: 'write', arguments: { path: 'ignored.md', content: '' } });
  const e = new TrajectoryDebugger({ title: 'x', source: 'x' });
  e.load({ trajectory: u });
  assert.deepEqual(files(e), [['notes.txt', ['a3']], ['summary.md', ['a2', 'a5']]]);
});

test('diff selection is (previous snapshot, this step’s snapshot), including steps that changed nothing', () => {
  const d = finalDebugger();
  const at = (key: string) => d.diffTarget(stepOfKey(d, key));
  assert.deepEqual(at('s1'), { before: C0, after: C0, changed: [] }, 'before the agent: the materialized workspace');
  assert.deepEqual(at('a1'), { before: C0, after: C0, changed: [] }, 'a read changes nothing');
  assert.deepEqual(at('a2'), { before: C0, after: C2, changed: ['summary.md'] });
  assert.deepEqual(at('a3'), { before: C2, after: C3, changed: ['notes.txt'] });
  assert.deepEqual(at('a4'), { before: C3, after: C3, changed: [] }, 'nothing changed: both sides are the state after the step before');
  assert.deepEqual(at('a5'), { before: C3, after: C5, changed: ['summary.md'] }, 'the previous snapshot, not the previous step');
  assert.deepEqual(at('a6'), { before: C5, after: C5, changed: [] });
  assert.deepEqual(d.diffTarget(99), { before: null, after: null, changed: [] });
  const quiet = d.detail(d.rowOfKey('a4'))!;
  assert.equal(quiet.snapshot.note, 'This step changed no file.');
  assert.equal(quiet.snapshot.available, true);
  d.snapshotsAvailable = false;
  assert.equal(d.detail(d.rowOfKey('a2'))!.snapshot.note, 'snapshots.git is not in the trial folder.');
});

test('snapshots read from snapshots.git stand in for missing events (turn from the commit message)', () => {
  const d = new TrajectoryDebugger({ title: 'x', source: 'x', snapshotsAvailable: true });
  // This trajectory's steps carry no extra.snapshot for turn 3: the repository says which commit it was.
  const t = trajectory();
  delete t.steps[4]!.extra;
  const snaps: SnapshotRef[] = [
    { commit: C0, turn: 0, changed: [] },
    { commit: C2, turn: 2, changed: ['summary.md'] },
    { commit: C3, turn: 3, changed: ['notes.txt'] },
    { commit: C5, turn: 5, changed: ['summary.md'] },
  ];
  d.load({ trajectory: t, snapshots: snaps });
  assert.deepEqual(d.diffTarget(stepOfKey(d, 'a3')), { before: C2, after: C3, changed: ['notes.txt'] });
});

test('live: steps from events as they arrive; the selection stays on its row, or follows the newest', () => {
  const all = events();
  const cut1 = all.findIndex((e) => e.type === 'step' && e.step === 3 && e.state === 'start');
  const cut2 = all.findIndex((e) => e.type === 'tool_call' && e.id === 'e2');
  const d = new TrajectoryDebugger({ title: 't #1', source: 'x', snapshotsAvailable: false });
  d.load({ trajectory: null, events: all.slice(0, cut1) });
  assert.equal(d.live, true);
  assert.deepEqual(keys(d), ['a1', 'a1/call/0', 'a1/obs/0', 'a2', 'a2/call/0', 'a2/obs/0']);
  assert.equal(d.rows[0]!.label, 't1', 'turns until ATIF step ids are known');
  assert.equal(d.rows[3]!.changed, 1);
  assert.equal(d.detail(3)!.snapshot.note, 'The snapshots reach the trial folder when the trial ends.');
  assert.equal(d.steps[1]!.running, false, 'turn 2 has ended');

  // Not following: the selection keeps its row while rows are appended.
  d.select(1);
  const from = d.append(all.slice(cut1, cut2));
  assert.equal(from, 6, 'rows from the new step on');
  assert.deepEqual(keys(d).slice(6), ['a3', 'a3/call/0']);
  assert.equal(selectedKey(d), 'a1/call/0');
  assert.equal(d.steps[2]!.running, true);
  d.snapshotsAvailable = true;
  assert.equal(d.detail(6)!.snapshot.note, 'This step is still running.');
  d.snapshotsAvailable = false;
  assert.equal(d.detail(d.rowOfKey('a3/call/0'))!.calls[0]!.result, null, 'its result has not arrived');

  // The same step grows: rows are replaced from its first row on.
  const more = all.slice(cut2, cut2 + 3); // e2's call, e1's and e2's results
  assert.equal(d.append(more), 6);
  assert.deepEqual(keys(d).slice(6), ['a3', 'a3/call/0', 'a3/obs/0', 'a3/call/1', 'a3/obs/1']);
  assert.equal(d.rows[d.rowOfKey('a3/call/0')!]!.error, true);
  assert.equal(d.append([{ type: 'phase', phase: 'agent', state: 'start' }, 'not an event', null]), null, 'nothing the debugger shows');

  // Following: each batch moves the selection to the newest row.
  d.setFollow(true);
  assert.equal(d.selected, d.rows.length - 1);
  const rest = all.slice(cut2 + 3);
  const beforeEnd = rest.findIndex((e) => e.type === 'agent_end');
  d.append(rest.slice(0, beforeEnd));
  assert.equal(selectedKey(d), 'a6');
  assert.equal(d.follow, true);
  d.navigate('prev');
  assert.equal(d.follow, false, 'moving away stops following');
  d.navigate('last');
  assert.equal(d.follow, true, 'going to the end follows again');
  assert.deepEqual(d.diffTarget(stepOfKey(d, 'a5')), { before: C3, after: C5, changed: ['summary.md'] });
  assert.equal(d.header().live, true);

  // The trial ends; trajectory.json replaces the events. The selected row is kept by key.
  d.append(rest.slice(beforeEnd));
  assert.equal(d.live, false);
  d.navigate('prev'); // a5/obs/0
  const key = selectedKey(d);
  d.load({ trajectory: trajectory(), events: all });
  assert.equal(selectedKey(d), key);
  assert.deepEqual(keys(d).slice(0, 3), ['s1', 's2', 'a1'], 'the system and user steps appear');
  assert.equal(d.rows[d.rowOfKey('a1')!]!.label, '#3');
});

test('live: a step in progress says what it waits for; the end of the trial ends it', () => {
  const d = new TrajectoryDebugger({ title: 'x', source: 'x' });
  d.load({ trajectory: null, events: [{ type: 'step', step: 1, state: 'start' }] });
  assert.equal(d.rows[0]!.summary, '(waiting for the model…)');
  d.append([{ type: 'llm_call', step: 1, ms: 5, attempts: 1, prompt_tokens: 10, completion_tokens: 2, cost_usd: null, finish_reason: 'stop' }]);
  assert.equal(d.rows[0]!.summary, '(running…)');
  assert.equal(d.append([{ type: 'trial_end', reward: 0, passed: false, error: 'the model endpoint went away' }]), 0);
  assert.equal(d.rows[0]!.summary, '(no text)');
  assert.equal(d.live, false);
});

test('live: a harness retry (trial_start again) starts the steps over', () => {
  const all = events();
  const d = new TrajectoryDebugger({ title: 'x', source: 'x' });
  d.load({ trajectory: null, events: all.slice(0, 12) });
  assert.ok(d.steps.length >= 2);
  assert.equal(d.append([{ type: 'trial_start', task_id: 't', attempt: 1 }, { type: 'step', step: 1, state: 'start' }]), 0);
  assert.deepEqual(keys(d), ['a1']);
  assert.equal(d.diffTarget(0).before, null, 'the old snapshots are gone');
});

test('details: text is capped, reasoning and metrics carried; argument summaries', () => {
  const t = trajectory();
  t.steps[2]!.message = 'x'.repeat(MAX_DETAIL_TEXT + 50);
  t.steps[2]!.reasoning_content = 'because';
  const d = new TrajectoryDebugger({ title: 'x', source: 'x' });
  d.load({ trajectory: t });
  const det = d.detail(d.rowOfKey('a1'))!;
  assert.equal(det.truncated, true);
  assert.ok(det.message.length < MAX_DETAIL_TEXT + 100 && det.message.endsWith('(50 more characters in the file)'));
  assert.equal(det.reasoning, 'because');
  assert.deepEqual(det.metrics, { promptTokens: 100, completionTokens: 20, cachedTokens: null, costUsd: 0.00014 });
  assert.deepEqual(det.timing, { stepMs: 40, llmMs: 30 });
  assert.equal(det.finishReason, 'tool_calls');
  assert.equal(det.calls[0]!.arguments, '{\n  "path": "notes.txt"\n}');
  assert.equal(d.rows[d.rowOfKey('a1')!]!.summary.length, 160, 'summaries are one short line');
  assert.equal(argumentSummary('process', { action: 'poll', sessionId: 's1' }), 'poll s1');
  assert.equal(argumentSummary('exec', '{not json'), '{not json');
  assert.equal(argumentSummary('custom', { a: 1 }), '{"a":1}');
});

test('a generated 2,000-step trajectory validates and loads into 5,994 rows', () => {
  const t = AtifTrajectory.parse(syntheticTrajectory(2000));
  const d = new TrajectoryDebugger({ title: 'big', source: 'big' });
  d.load({ trajectory: t });
  assert.equal(d.steps.length, 2000);
  assert.equal(d.rows.length, 2 + 1997 * 3 + 1);
  assert.ok(d.navigate('firstFailure'));
  assert.equal(d.rows[d.selected]!.key, 'a97/call/0', 'every 97th call fails');
  assert.ok(d.navigate('nextFailure'));
  assert.equal(d.rows[d.selected]!.key, 'a194/call/0');
  assert.ok(d.lastTouch('notes/note-07.md'));
  assert.equal(d.steps[d.selectedStep]!.calls[0]!.name, 'write');
});

test('Open Trajectory arguments: a Uri, a Runs view trial, a Test Explorer message, a path', () => {
  assert.equal(trajectoryPathOf({ scheme: 'file', fsPath: '/r/trials/t/1/trajectory.json' }), '/r/trials/t/1/trajectory.json');
  assert.equal(trajectoryPathOf({ scheme: 'untitled', fsPath: 'x' }), undefined);
  assert.equal(trajectoryPathOf({ kind: 'trial', run: {}, trial: { dir: '/r/trials/t/1' } }), '/r/trials/t/1');
  assert.equal(trajectoryPathOf({ kind: 'run', run: { dir: '/r' } }), undefined);
  assert.equal(trajectoryPathOf({ test: {}, message: { location: { uri: { scheme: 'file', fsPath: '/r/trials/t/1/verify.json' } } } }), '/r/trials/t/1');
  assert.equal(trajectoryPathOf('/x/trajectory.json'), '/x/trajectory.json');
  assert.equal(trajectoryPathOf(undefined), undefined);
  assert.equal(trajectoryPathOf(''), undefined);
});

test('webview messages are validated; numbers format for the view', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'navigate', action: 'firstFailure' }), { type: 'navigate', action: 'firstFailure' });
  assert.equal(parseWebviewMessage({ type: 'navigate', action: 'rm -rf' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'select', index: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'select', index: 1.5 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openDiff', step: 2, path: '' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'lastTouch', path: 'a.txt', before: 3 }), { type: 'lastTouch', path: 'a.txt', before: 3 });
  assert.equal(parseWebviewMessage({ type: 'rendered', ms: -1, pageMs: 0, rows: 1, domRows: 1 }), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
  assert.deepEqual([formatTokens(850), formatTokens(1234), formatTokens(12_345), formatTokens(2_500_000)], ['850 tok', '1.23k tok', '12.3k tok', '2.50M tok']);
  assert.deepEqual([formatCost(0), formatCost(0.00014), formatCost(0.0012), formatCost(0.35), formatCost(12.4)], ['$0', '$0.00014', '$0.0012', '$0.35', '$12.40']);
  assert.deepEqual([formatMs(850), formatMs(1234), formatMs(125_000)], ['850 ms', '1.2 s', '2 min 5 s']);
  assert.equal(formatCount(1234567), '1\u202f234\u202f567');
});

test('trial files: locate, read, and snapshots read back from a real snapshots.git', async () => {
  const trial = join(tempDir(), 'runs', 'r1', 'trials', 'notes-task', '2');
  const ws = join(trial, 'workspace');
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'notes.txt'), 'teh notes\n');
  const snaps = await WorkspaceSnapshots.create(join(trial, 'snapshots.git'), ws);
  const s0 = (await snaps.take('step 0: the workspace as materialized'))!;
  writeFileSync(join(ws, 'summary.md'), '# Summary\n');
  const s2 = (await snaps.take('step 2'))!;
  writeFileSync(join(ws, 'notes.txt'), 'the notes\n');
  writeFileSync(join(ws, 'blob.bin'), Buffer.from([0, 1, 2, 3]));
  rmSync(join(ws, 'summary.md'));
  const s3 = (await snaps.take('step 3'))!;
  assert.equal(await snaps.take('step 4'), null, 'no change, no snapshot');

  const repo = WorkspaceSnapshots.open(join(trial, 'snapshots.git'));
  assert.deepEqual((await repo.list()).map((s) => [s.commit, s.step]), [[s0.commit, 0], [s2.commit, 2], [s3.commit, 3]]);
  assert.equal((await repo.show(s2.commit, 'summary.md'))!.toString(), '# Summary\n');
  assert.equal(await repo.show(s0.commit, 'summary.md'), null, 'not there yet');
  assert.equal(await repo.show(s3.commit, 'summary.md'), null, 'deleted');
  assert.equal((await repo.show(s3.commit, 'notes.txt'))!.toString(), 'the notes\n');
  assert.deepEqual([...(await repo.show(s3.commit, 'blob.bin'))!], [0, 1, 2, 3]);
  await assert.rejects(repo.show('HEAD; rm -rf /', 'x'), /not a commit id/);
  assert.deepEqual((await repo.changed(s2.commit, s3.commit)).sort(), ['blob.bin', 'notes.txt', 'summary.md']);

  // Without events, the files each snapshot changed come from git.
  assert.deepEqual(await readSnapshots(join(trial, 'snapshots.git'), []), [
    { commit: s0.commit, turn: 0, changed: [] },
    { commit: s2.commit, turn: 2, changed: ['summary.md'] },
    { commit: s3.commit, turn: 3, changed: ['blob.bin', 'notes.txt', 'summary.md'] },
  ]);
  // With events, what they say.
  const ev = [{ type: 'snapshot', step: 3, commit: s3.commit, changed: ['notes.txt'] }];
  assert.deepEqual((await readSnapshots(join(trial, 'snapshots.git'), ev))[2]!.changed, ['notes.txt']);
  assert.deepEqual(await readSnapshots(join(trial, 'nowhere.git'), []), []);

  // Locating: a trial folder, or its trajectory.json; the title names task and attempt.
  writeFileSync(join(trial, 'events.jsonl'), `${JSON.stringify({ type: 'trial_start' })}\n{torn\n${JSON.stringify({ type: 'step', step: 1, state: 'start' })}\n`);
  const loc = locateTrajectory(trial)!;
  assert.deepEqual(loc, {
    trajectoryFile: join(trial, 'trajectory.json'),
    trialDir: trial,
    eventsFile: join(trial, 'events.jsonl'),
    snapshotsDir: join(trial, 'snapshots.git'),
    title: 'notes-task #2',
  });
  assert.deepEqual(locateTrajectory(join(trial, 'trajectory.json')), loc);
  assert.equal(readEvents(loc.eventsFile).length, 2, 'the torn line is skipped');
  assert.deepEqual(eventsSummary(readEvents(loc.eventsFile)), { steps: 1, agentEnded: false, trialEnded: false });
  const missing = readTrajectory(loc.trajectoryFile);
  assert.equal(missing.ok, false);
  assert.equal(!missing.ok && missing.missing, true);

  writeFileSync(loc.trajectoryFile, JSON.stringify({ schema_version: 'ATIF-v1.6', session_id: 's', agent: { name: 'a', version: '1' }, steps: [{ step_id: 2, source: 'user', message: 'hi' }] }));
  const bad = readTrajectory(loc.trajectoryFile);
  assert.ok(!bad.ok && !bad.missing && /steps\.0\.step_id: step_id 2 should be 1/.test(bad.error), JSON.stringify(bad));
  writeFileSync(loc.trajectoryFile, JSON.stringify(trajectory()));
  assert.equal(readTrajectory(loc.trajectoryFile).ok, true);

  // A trajectory file on its own (no trial around it).
  const lone = join(tempDir(), 'exported', 'trajectory.json');
  mkdirSync(join(lone, '..'));
  writeFileSync(lone, '{}');
  assert.deepEqual(locateTrajectory(lone), { trajectoryFile: lone, trialDir: null, eventsFile: null, snapshotsDir: null, title: 'exported/trajectory.json' });
  assert.equal(locateTrajectory(join(tempDir(), 'empty-folder')), undefined);
  assert.equal(locateTrajectory('/etc/hostname'), undefined);
});
