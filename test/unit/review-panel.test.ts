/** The Task Review panel's view model, its disk reads and its protocol: plain Node, no vscode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultLine, RunManifest } from '../../src/core/runs/records.js';
import { writeReview } from '../../src/core/task/review.js';
import { Check, type TaskSpec } from '../../src/core/task/schema.js';
import type { Task } from '../../src/core/task/task.js';
import type { VerifyResult } from '../../src/core/verify/result.js';
import {
  agentKind,
  checkView,
  latestRunsByKind,
  pinStatuses,
  queueStep,
  queueView,
  resultColumn,
  resultRows,
  reviewQueue,
  reviewState,
  rubricView,
  staleReasons,
  workspaceFiles,
  type ReviewInputs,
  type TaskChanges,
  type TaskRun,
} from '../../src/extension/model/review.js';
import { listWorkspace, readNativeTask, readTaskRuns, taskChanges } from '../../src/extension/model/review-data.js';
import { readTrialVerify } from '../../src/core/runs/folder.js';
import { taskEntry, type TaskEntry } from '../../src/extension/model/task-tree.js';
import { parseWebviewMessage, ReviewState } from '../../src/protocol/review.js';
import { tempDir, writeTask } from '../helpers.js';

const ROOTS = ['/pool'];

function entry(id: string, category: string, review: TaskEntry['review'] = 'pending', format: Task['format'] = 'native'): TaskEntry {
  const t: Task = {
    spec: { id, title: id, instruction: `Do ${id}.`, category, review: { status: review } } as Task['spec'],
    format,
    source: `/pool/${id}`,
    workspace: [],
    warnings: [],
  };
  return taskEntry(t, ROOTS);
}

const ids = (q: readonly TaskEntry[]) => q.map((t) => t.id);

test('the queue: reviewable tasks of the view, unreviewed first, in the view order within a status', () => {
  const entries = [
    entry('d-acc', 'B', 'accepted'),
    entry('a-pend', 'B'),
    entry('c-rej', 'A', 'rejected'),
    entry('b-edit', 'A', 'needs_edit'),
    entry('z-pend', 'A'),
    entry('imported', 'A', 'pending', 'clawgym'),
  ];
  // View order: category A (b-edit, c-rej, z-pend), then B (a-pend, d-acc); pending first.
  assert.deepEqual(ids(reviewQueue(entries, ROOTS, 'all')), ['z-pend', 'a-pend', 'b-edit', 'c-rej', 'd-acc']);
  assert.deepEqual(ids(reviewQueue(entries, ROOTS, 'pending')), ['z-pend', 'a-pend'], 'the Tasks view filter applies; a non-native task is not in the queue');
  assert.deepEqual(ids(reviewQueue(entries, ROOTS, 'needs_edit')), ['b-edit']);
  assert.deepEqual(reviewQueue([], ROOTS, 'all'), []);
});

test('pinned statuses: a decision neither reorders the queue nor drops the task under the filter', () => {
  const before = [entry('a', 'X'), entry('b', 'X'), entry('c', 'X', 'accepted')];
  const pinned = pinStatuses(before);
  const after = [entry('a', 'X', 'accepted'), entry('b', 'X'), entry('c', 'X', 'accepted')];
  const q = reviewQueue(after, ROOTS, 'pending', pinned);
  assert.deepEqual(ids(q), ['a', 'b'], 'a stays first though it is accepted now');
  assert.equal(q[0]!.review, 'accepted', 'the queue hands out the live status');
  // Without pinning (a new session) it is gone from the pending queue and last in "all".
  assert.deepEqual(ids(reviewQueue(after, ROOTS, 'pending')), ['b']);
  assert.deepEqual(ids(reviewQueue(after, ROOTS, 'all')), ['b', 'a', 'c']);
  // A task that appears later joins under its live status.
  assert.deepEqual(ids(reviewQueue([...after, entry('d', 'X')], ROOTS, 'pending', pinned)), ['a', 'b', 'd']);
});

test('next / previous: within the queue, nothing past the ends, a vanished task keeps its place', () => {
  const q = [{ key: 'a' }, { key: 'b' }, { key: 'c' }];
  assert.equal(queueStep(q, 'a', 1)?.key, 'b');
  assert.equal(queueStep(q, 'b', -1)?.key, 'a');
  assert.equal(queueStep(q, 'c', 1), undefined);
  assert.equal(queueStep(q, 'a', -1), undefined);
  // 'x' was at index 1 (between a and b) and left the queue: next is what is at 1 now, previous the one before.
  assert.equal(queueStep(q, 'x', 1, 1)?.key, 'b');
  assert.equal(queueStep(q, 'x', -1, 1)?.key, 'a');
  assert.equal(queueStep(q, 'x', 1, 9), undefined, 'a hint past the end is clamped');
  assert.equal(queueStep(q, 'x', -1, 9)?.key, 'c');
  assert.equal(queueStep(q, 'x', 1)?.key, 'a', 'no hint: next starts the queue');
  assert.equal(queueStep(q, 'x', -1), undefined);
  const entries = [entry('a', 'X'), entry('b', 'X'), entry('c', 'X')];
  assert.deepEqual(queueView(entries, entries[1]!.key, 'all'), { position: 2, length: 3, filter: 'all', prev: 'a', next: 'c' });
  assert.deepEqual(queueView(entries, 'gone', 'pending', 3), { position: 0, length: 3, filter: 'pending', prev: 'c', next: null });
});

// ---------------------------------------------------------------------------------------------

function line(over: Partial<ResultLine> = {}): ResultLine {
  return {
    task_id: 'demo',
    attempt: 1,
    reward: 1,
    passed: true,
    error: null,
    error_kind: null,
    category: null,
    agent: 'oracle',
    agent_exit: { code: 0, signal: null, timed_out: false },
    code_score: 1,
    rubric_score: null,
    timings: { setup_ms: 1, agent_ms: 1, verify_ms: 1, total_ms: 3 },
    harness_retries: 0,
    trial_dir: 'trials/demo/1',
    finished_at: '2026-11-24T10:00:00.000Z',
    ...over,
  };
}

function run(runId: string, agent: string, finished: string[], over: Partial<TaskRun> = {}): TaskRun {
  return {
    runId,
    runDir: `/runs/${runId}`,
    createdAt: finished[0]!,
    agent,
    lines: finished.map((f, i) => line({ agent, attempt: i + 1, finished_at: f, trial_dir: `trials/demo/${i + 1}`, reward: agent === 'nop' ? 0 : 1, passed: agent !== 'nop' })),
    ...over,
  };
}

test('agent kinds: oracle, nop, and every other agent is a model run', () => {
  assert.deepEqual(['oracle', 'nop', 'claw', 'command', 'replay'].map(agentKind), ['oracle', 'nop', 'model', 'model', 'model']);
});

test('the latest run per kind by when it finished this task; the latest attempt within it', () => {
  const runs = [
    run('o-old', 'oracle', ['2026-11-20T00:00:00Z']),
    run('o-new', 'oracle', ['2026-11-22T00:00:00Z', '2026-11-22T00:05:00Z']),
    // Created later but finished this task earlier (a long run): not the latest oracle result.
    run('o-long', 'oracle', ['2026-11-21T00:00:00Z'], { createdAt: '2026-11-23T00:00:00Z' }),
    run('n1', 'nop', ['2026-11-21T00:00:00Z']),
    run('claw1', 'claw', ['2026-11-19T00:00:00Z'], { model: 'm-a' }),
    run('cmd1', 'command', ['2026-11-24T00:00:00Z']),
    run('empty', 'oracle', [], { createdAt: '2026-11-30T00:00:00Z', lines: [] }),
  ];
  const sel = latestRunsByKind(runs, { source: '/pool/demo' });
  assert.equal(sel.oracle?.run.runId, 'o-new');
  assert.equal(sel.oracle?.latest.attempt, 2, 'the attempt that finished last');
  assert.equal(sel.nop?.run.runId, 'n1');
  assert.equal(sel.model?.run.runId, 'cmd1');
  assert.deepEqual(latestRunsByKind([], { source: '/x' }), { oracle: undefined, nop: undefined, model: undefined });
});

test('a run of another task with the same id (another pool) is not this task’s; an unknown source counts', () => {
  const runs = [
    run('mine', 'oracle', ['2026-11-20T00:00:00Z'], { taskSource: '/pool/demo' }),
    run('theirs', 'oracle', ['2026-11-22T00:00:00Z'], { taskSource: '/other/demo' }),
    run('moved', 'nop', ['2026-11-22T00:00:00Z'], { taskSource: '/gone/demo' }),
  ];
  const sel = latestRunsByKind(runs, { source: '/pool/demo' }, new Set(['/other/demo']));
  assert.equal(sel.oracle?.run.runId, 'mine');
  assert.equal(sel.nop?.run.runId, 'moved');
  // Without the other task in the index, the newer run counts.
  assert.equal(latestRunsByKind(runs, { source: '/pool/demo' }).oracle?.run.runId, 'theirs');
});

const NOW = Date.parse('2026-11-24T12:00:00Z');
const unchanged: TaskChanges = { checkIds: ['a', 'b'], filesChangedMs: NOW - 86_400_000, taskFileChangedMs: NOW - 86_400_000, reviewUpdatedMs: null };

test('staleness: changed checks, newer files, a newer task.yaml — but not a review write', () => {
  const at = '2026-11-24T00:00:00Z';
  assert.deepEqual(staleReasons(at, ['a', 'b'], unchanged), []);
  assert.deepEqual(staleReasons(at, ['b', 'a'], unchanged), [], 'order does not matter');
  assert.deepEqual(staleReasons(at, ['a', 'old'], unchanged), ['checks changed since this run (+b, −old)']);
  assert.deepEqual(staleReasons(at, undefined, { ...unchanged, filesChangedMs: NOW }), ['task files (workspace, solution or tests) changed since this run']);
  assert.deepEqual(staleReasons(at, ['a', 'b'], { ...unchanged, taskFileChangedMs: NOW }), ['task.yaml changed since this run']);
  // Accepting a task rewrites task.yaml (mtime ≈ review.updated): the results stay current.
  assert.deepEqual(staleReasons(at, ['a', 'b'], { ...unchanged, taskFileChangedMs: NOW + 40, reviewUpdatedMs: NOW }), []);
  // An edit well after the review is a change again.
  assert.deepEqual(staleReasons(at, ['a', 'b'], { ...unchanged, taskFileChangedMs: NOW + 60_000, reviewUpdatedMs: NOW }), ['task.yaml changed since this run']);
  assert.deepEqual(staleReasons(at, ['a', 'b'], { ...unchanged, filesChangedMs: null, taskFileChangedMs: null }), []);
});

function verifyOf(checks: Array<[string, number | null]>, rubric: number | null = null): VerifyResult {
  return {
    task_id: 'demo',
    reward: 1,
    passed: true,
    pass_threshold: 1,
    code: { score: 1, checks: checks.map(([id, score]) => ({ id, type: 'file_exists', weight: 1, score, passed: score === 1, message: '', duration_ms: 1 })) },
    rubric: rubric === null ? { status: 'absent', score: null, message: 'no rubric' } : { status: 'judged', score: rubric, message: 'judged' },
    weights_applied: { code: 1, rubric: 0 },
    error: null,
    error_kind: null,
    duration_ms: 1,
    verified_at: '2026-11-24T00:00:00Z',
  };
}

test('a result column: label, mean reward over attempts, per-check scores of the latest attempt, staleness', () => {
  const r = run('c1', 'claw', ['2026-11-24T00:00:00Z', '2026-11-24T00:10:00Z'], { model: 'gpt-x' });
  r.lines[0] = { ...r.lines[0]!, reward: 0.5, passed: false };
  const sel = latestRunsByKind([r], { source: '/pool/demo' }).model;
  const col = resultColumn('model', sel, verifyOf([['a', 1], ['b', null], ['gone', 0]], 0.75), unchanged);
  assert.equal(col.label, 'claw · gpt-x');
  assert.deepEqual(
    { reward: col.run!.reward, attempts: col.run!.attempts, passed: col.run!.passed, attempt: col.run!.attempt, state: col.run!.state, rubric: col.run!.rubric },
    { reward: '0.75', attempts: 2, passed: 1, attempt: 2, state: 'passed', rubric: '0.75' },
  );
  assert.deepEqual(col.run!.checks, { a: '1.00', b: 'error', gone: '0.00' });
  assert.deepEqual(col.run!.stale, ['checks changed since this run (−gone)']);
  assert.deepEqual(resultColumn('nop', undefined, undefined, unchanged), { kind: 'nop', label: 'nop', run: null });
  const errored = resultColumn('oracle', { run: run('o', 'oracle', ['2026-11-24T00:00:00Z']), latest: line({ error: 'solve.sh failed', passed: false, reward: 0 }) }, undefined, unchanged);
  assert.equal(errored.run!.state, 'error');
  assert.equal(errored.run!.verification, false);
  assert.deepEqual(errored.run!.stale, [], 'without verify.json the checks are not compared');
  // Rows: the task's checks in order, then ids only a result knows.
  assert.deepEqual(resultRows(['b', 'a'], [col, errored]), [{ id: 'b', inTask: true }, { id: 'a', inTask: true }, { id: 'gone', inTask: false }]);
});

// ---------------------------------------------------------------------------------------------

test('checks read as type, target and expected', () => {
  const v = (c: unknown) => {
    const parsed = Check.parse(c);
    return checkView(parsed, 'x');
  };
  assert.deepEqual(v({ type: 'file_exists', path: 'out.txt' }), { id: 'x', type: 'file_exists', weight: 1, description: null, target: 'out.txt', expected: 'exists' });
  assert.equal(v({ type: 'text_contains', path: 'a.md', text: ['one', '<b>two</b>'], normalize: { case: true } }).expected, 'contains all of:\n• one\n• <b>two</b>\n(ignoring case)');
  assert.equal(v({ type: 'text_matches', path: 'a', pattern: '^x$' }).expected, 'matches /^x$/m');
  assert.deepEqual(
    (({ target, expected }) => ({ target, expected }))(v({ type: 'json_path', path: 'r.json', query: '$.total', equals: 12.5, tolerance: 0.01 })),
    { target: 'r.json $.total', expected: 'equals 12.5 (± 0.01)' },
  );
  assert.equal(v({ type: 'csv', path: 'o.csv', columns: ['a', 'b'], row_count: 3, sorted_by: { column: 'b', order: 'desc', numeric: true } }).expected, 'columns: a,b\nrows: 3\nsorted by b desc (numeric)');
  assert.equal(v({ type: 'line_count', path: 'f', min: 2, max: 5 }).expected, 'lines 2 … 5');
  assert.equal(v({ type: 'command', run: 'python3 t.py', stdout_contains: 'ok' }).expected, 'exit code 0\nstdout contains "ok"');
  assert.equal(v({ type: 'command', run: 'python3 t.py' }).target, 'python3 t.py');
  assert.equal(v({ type: 'no_unexpected_files', allow: ['out/*'] }).expected, 'no new files except:\nout/*');
  assert.equal(v({ type: 'tool_used', tool: 'exec', min: 2 }).expected, 'tool exec called ≥ 2 time(s)');
  assert.equal(v({ type: 'script', run: 'bash reward/reward.sh', output: 'float', weight: 2, description: 'd' }).weight, 2);
});

test('rubric rules list their score options in order; no rubric is null', () => {
  const r = rubricView({ eval_type: 'llm_rubric', score_options: [0, 0.5, 1], rules: [{ name: 'tone', file_path: 'a.md', scores: { '1': 'great', '0': 'bad', '0.5': 'ok' } }] });
  assert.deepEqual(r, { scoreOptions: [0, 0.5, 1], rules: [{ name: 'tone', file: 'a.md', scores: [{ score: '0', text: 'bad' }, { score: '0.5', text: 'ok' }, { score: '1', text: 'great' }] }], text: null });
  assert.equal(rubricView(null), null);
  assert.equal(rubricView({ eval_type: 'llm_rubric', score_options: [0, 1], rules: [] }), null);
  assert.equal(rubricView({ eval_type: 'llm_rubric', score_options: [0, 1], rules: [], text: 'Judge it.' })?.text, 'Judge it.');
});

test('workspace files read as a tree (folders first at each level) and are capped', () => {
  const f = (path: string) => ({ path, bytes: 1, openable: true });
  const { files, total } = workspaceFiles([f('z.txt'), f('notes/b.md'), f('a.txt'), f('notes/sub/c.md'), f('notes/a.md'), f('a.txt')]);
  assert.deepEqual(files.map((x) => x.path), ['notes/sub/c.md', 'notes/a.md', 'notes/b.md', 'a.txt', 'z.txt']);
  assert.equal(total, 5, 'duplicates collapse');
  const capped = workspaceFiles(Array.from({ length: 20 }, (_, i) => f(`f${String(i).padStart(2, '0')}`)), 5);
  assert.deepEqual([capped.files.length, capped.total], [5, 20]);
});

function inputs(over: Partial<ReviewInputs> = {}): ReviewInputs {
  const spec = {
    id: 'demo',
    title: 'Demo',
    instruction: 'Write <b>out.txt</b>.',
    category: 'Cat',
    operations: ['write'],
    timeout_sec: 60,
    mount: '/root/.openclaw/workspace',
    verify: { checks: [Check.parse({ id: 'a', type: 'file_exists', path: 'out.txt' }), Check.parse({ type: 'file_absent', path: 'tmp' })], weights: { code: 0.7, rubric: 0.3 }, pass: 1, tests_mount: '/tests' },
  } as TaskSpec;
  return {
    entry: entry('demo', 'Cat'),
    spec,
    location: 'tasks/demo',
    workspace: { files: [{ path: 'in.txt', bytes: 3, openable: true }], error: null },
    hasSolution: true,
    runs: { oracle: { selected: undefined, verify: undefined }, nop: { selected: undefined, verify: undefined }, model: { selected: undefined, verify: undefined } },
    changes: { ...unchanged, checkIds: ['a', 'file_absent_2'] },
    queue: { position: 1, length: 1, filter: 'all', prev: null, next: null },
    trusted: true,
    running: null,
    stale: null,
    loadError: null,
    ...over,
  };
}

test('the panel state: text verbatim, default check ids, run buttons by trust, solution and a run in progress', () => {
  const s = reviewState(inputs());
  ReviewState.parse(s); // what the host posts satisfies the protocol
  assert.equal(s.instruction, 'Write <b>out.txt</b>.', 'text is passed as is: the webview renders it with textContent');
  assert.deepEqual(s.checks.map((c) => c.id), ['a', 'file_absent_2']);
  assert.deepEqual(s.resultRows.map((r) => r.id), ['a', 'file_absent_2']);
  assert.deepEqual(s.results.map((c) => [c.kind, c.run]), [['oracle', null], ['nop', null], ['model', null]]);
  assert.deepEqual(s.review, { status: 'pending', notes: null, reviewer: null, updated: null });
  assert.deepEqual(s.meta.map((m) => m.name), ['category', 'operations', 'timeout', 'mount']);
  assert.deepEqual(s.run, { oracle: true, nop: true, running: null, reason: null });
  assert.equal(s.notReviewable, null);
  assert.deepEqual(reviewState(inputs({ trusted: false })).run, { oracle: false, nop: false, running: null, reason: 'ClawGym runs no agent in an untrusted workspace.' });
  assert.deepEqual(reviewState(inputs({ hasSolution: false })).run, { oracle: false, nop: true, running: null, reason: 'This task has no solution/solve.sh for the oracle.' });
  assert.deepEqual(reviewState(inputs({ running: 'nop' })).run, { oracle: false, nop: false, running: 'nop', reason: 'The nop is running.' });
  assert.match(reviewState(inputs({ entry: entry('demo', 'Cat', 'pending', 'pinchbench') })).notReviewable ?? '', /pinchbench task: convert it/);
});

test('webview messages are validated: actions name their task; unknown, malformed and oversized ones are dropped', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'decide', key: 'k', status: 'needs_edit', note: 'fix the path' }), { type: 'decide', key: 'k', status: 'needs_edit', note: 'fix the path' });
  assert.equal(parseWebviewMessage({ type: 'decide', key: 'k', status: 'pending', note: '' }), undefined, 'pending is not a decision');
  assert.equal(parseWebviewMessage({ type: 'decide', status: 'accepted', note: '' }), undefined, 'no key');
  assert.equal(parseWebviewMessage({ type: 'decide', key: 'k', status: 'accepted', note: 'x'.repeat(20_001) }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'navigate', key: 'k', delta: -1 }), { type: 'navigate', key: 'k', delta: -1 });
  assert.equal(parseWebviewMessage({ type: 'navigate', key: 'k', delta: 2 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'run', key: 'k', agent: 'claw' }), undefined, 'the panel runs only oracle and nop');
  assert.equal(parseWebviewMessage({ type: 'openFile', key: 'k', path: '' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.equal(parseWebviewMessage({ type: 'eval', code: '1' }), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});

// ---------------------------------------------------------------------------------------------
// Disk reads

function manifest(runId: string, agent: string, tasks: Array<{ id: string; source: string }>, model?: string): RunManifest {
  return {
    schema_version: 1,
    run_id: runId,
    created_at: '2026-11-24T00:00:00.000Z',
    paths: [],
    include: [],
    exclude: [],
    tasks: tasks.map((t) => ({ ...t, format: 'native', category: null })),
    agent: { name: agent, ...(model ? { model } : {}) },
    attempts: 1,
    concurrency: 1,
    timeout_multiplier: 1,
    sandbox: 'bwrap',
    harness_retries: 0,
    versions: {},
  };
}

test('runs of a task are read from the runs folder; a results.jsonl that grows is read again', () => {
  const runs = tempDir();
  const r1 = join(runs, 'r-oracle');
  mkdirSync(join(r1, 'trials', 'demo', '1'), { recursive: true });
  writeFileSync(join(r1, 'run.json'), JSON.stringify(manifest('r-oracle', 'oracle', [{ id: 'demo', source: '/pool/demo' }, { id: 'other', source: '/pool/other' }])));
  writeFileSync(join(r1, 'results.jsonl'), `${JSON.stringify(line())}\n${JSON.stringify(line({ task_id: 'other', trial_dir: 'trials/other/1' }))}\n`);
  writeFileSync(join(r1, 'trials', 'demo', '1', 'verify.json'), JSON.stringify(verifyOf([['a', 1]])));
  const r2 = join(runs, 'r-claw');
  mkdirSync(r2, { recursive: true });
  writeFileSync(join(r2, 'run.json'), JSON.stringify(manifest('r-claw', 'claw', [{ id: 'demo', source: '/pool/demo' }], 'm1')));
  writeFileSync(join(r2, 'results.jsonl'), '');
  mkdirSync(join(runs, 'not-a-run'));
  writeFileSync(join(runs, 'stray.txt'), 'x');

  let found = readTaskRuns(runs, 'demo');
  assert.deepEqual(found.map((r) => [r.runId, r.agent, r.taskSource, r.lines.length]), [['r-oracle', 'oracle', '/pool/demo', 1]]);
  // The claw run finishes a trial: appended lines are seen (the cache keys on size and mtime).
  appendFileSync(join(r2, 'results.jsonl'), `${JSON.stringify(line({ agent: 'claw', reward: 0.25, passed: false }))}\n`);
  found = readTaskRuns(runs, 'demo');
  assert.deepEqual(found.map((r) => [r.runId, r.model]).sort(), [['r-claw', 'm1'], ['r-oracle', undefined]]);
  const sel = latestRunsByKind(found, { source: '/pool/demo' });
  assert.equal(sel.model?.latest.reward, 0.25);
  assert.deepEqual(readTrialVerify(join(r1, 'trials', 'demo', '1'))?.code.checks.map((c) => c.id), ['a']);
  assert.equal(readTrialVerify(join(r2, 'trials', 'demo', '1')), undefined, 'no verify.json');
  writeFileSync(join(r1, 'trials', 'demo', '1', 'verify.json'), '{"not":"a verify result"}');
  assert.equal(readTrialVerify(join(r1, 'trials', 'demo', '1')), undefined, 'not a verification result');
  assert.deepEqual(readTaskRuns(join(runs, 'missing'), 'demo'), []);
});

test('a native task read once: spec and text agree; workspace listing and change times', async () => {
  const root = tempDir();
  const dir = writeTask(root, { id: 'demo', verify: { checks: [{ id: 'a', type: 'file_exists', path: 'out.txt' }] } }, {
    'workspace/in.txt': 'abc',
    'workspace/notes/n.md': 'hello',
    'solution/solve.sh': 'echo hi > out.txt\n',
  });
  const file = join(dir, 'task.yaml');
  const { task, text } = await readNativeTask(file);
  assert.equal(text, readFileSync(file, 'utf8'));
  assert.equal(task.spec.id, 'demo');
  const ws = await listWorkspace(task);
  assert.deepEqual(ws.files.map((f) => [f.path, f.bytes, f.openable]).sort(), [['in.txt', 3, true], ['notes/n.md', 5, true]]);
  assert.equal(ws.hostFiles.get('notes/n.md'), join(dir, 'workspace', 'notes', 'n.md'));
  assert.equal(ws.hostFiles.get('../task.yaml'), undefined, 'only listed files can be opened');
  assert.equal(ws.error, null);

  const old = new Date('2026-01-01T00:00:00Z');
  for (const f of ['workspace/in.txt', 'workspace/notes/n.md', 'solution/solve.sh', 'task.yaml']) utimesSync(join(dir, f), old, old);
  const newer = new Date('2026-03-01T00:00:00Z');
  utimesSync(join(dir, 'solution', 'solve.sh'), newer, newer);
  const ch = await taskChanges(task, file);
  assert.deepEqual(ch, { checkIds: ['a'], filesChangedMs: newer.getTime(), taskFileChangedMs: old.getTime(), reviewUpdatedMs: null });

  // Inline workspace files (imported tasks) are listed but cannot be opened.
  const inline: Task = { ...task, workspace: [{ kind: 'files', files: [{ path: 'x/y.txt', content: 'héllo' }] }] };
  const listed = await listWorkspace(inline);
  assert.deepEqual(listed.files, [{ path: 'x/y.txt', bytes: 6, openable: false }]);
  assert.equal(listed.hostFiles.size, 0);
});

test('needs_edit is a review status; files without a review block, or with pending, stay valid', async () => {
  const root = tempDir();
  const dir = writeTask(root, { id: 'old-task' });
  const file = join(dir, 'task.yaml');
  const before = readFileSync(file, 'utf8');
  assert.doesNotMatch(before, /review/);
  assert.equal((await readNativeTask(file)).task.spec.review, undefined);
  const spec = await writeReview(file, { status: 'needs_edit', notes: 'the instruction names the wrong folder' }, { expectedText: before, now: new Date('2026-11-24T10:00:00Z') });
  assert.deepEqual(spec.review, { status: 'needs_edit', notes: 'the instruction names the wrong folder', updated: '2026-11-24T10:00:00.000Z' });
  const after = readFileSync(file, 'utf8');
  assert.ok(after.startsWith(before), 'only the review block is added');
  writeFileSync(file, `${before}review:\n  status: pending\n`);
  assert.equal((await readNativeTask(file)).task.spec.review?.status, 'pending');
});
