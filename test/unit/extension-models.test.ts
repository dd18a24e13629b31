/** The extension's view models and protocol: plain Node, no vscode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultLine, RunManifest } from '../../src/core/runs/records.js';
import type { Task } from '../../src/core/task/task.js';
import type { VerifyResult } from '../../src/core/verify/result.js';
import { exactGlob, runArgv, verifyArgv } from '../../src/extension/model/cli.js';
import { shellLine } from '../../src/core/shell.js';
import { JsonlTail } from '../../src/extension/model/events-tail.js';
import { listRuns, listTrials } from '../../src/extension/model/runs.js';
import { buildTaskTree, poolOf, taskEntry, UNCATEGORIZED } from '../../src/extension/model/task-tree.js';
import { failingChecks, verificationState } from '../../src/extension/model/verification.js';
import { parseWebviewMessage, VerificationState } from '../../src/protocol/verification.js';
import { tempDir } from '../helpers.js';

function task(id: string, source: string, over: Partial<Task['spec']> = {}): Task {
  return {
    spec: { id, instruction: `Do ${id}.\nMore.`, category: 'Software Dev', ...over } as Task['spec'],
    format: 'native',
    source,
    workspace: [],
    warnings: [],
  };
}

test('tasks group by pool and category, sorted, uncategorized last, filtered by review', () => {
  const roots = ['/p/alpha', '/p/beta'];
  const entries = [
    task('b-task', '/p/alpha/b-task'),
    task('a-task', '/p/alpha/a-task', { category: 'Analysis & Reasoning', review: { status: 'accepted' } }),
    task('c-task', '/p/alpha/c-task', { category: undefined }),
    task('z-task', '/p/beta/sub/z-task', { review: { status: 'rejected' } }),
  ].map((t) => taskEntry(t, roots));
  const tree = buildTaskTree(entries, roots);
  assert.deepEqual(
    tree.map((p) => [p.name, p.count, p.categories.map((c) => [c.name, c.tasks.map((t) => t.id)])]),
    [
      ['alpha', 3, [['Analysis & Reasoning', ['a-task']], ['Software Dev', ['b-task']], [UNCATEGORIZED, ['c-task']]]],
      ['beta', 1, [['Software Dev', ['z-task']]]],
    ],
  );
  const accepted = buildTaskTree(entries, roots, 'accepted');
  assert.deepEqual(accepted.map((p) => p.categories.flatMap((c) => c.tasks.map((t) => t.id))), [['a-task']]);
  assert.equal(buildTaskTree(entries, roots, 'needs_edit').length, 0);
  assert.equal(entries[0]!.title, 'Do b-task.');
  assert.equal(entries[2]!.review, 'pending');
});

test('a task outside every root is pooled by the folder around it; keys tell same ids apart', () => {
  assert.deepEqual(poolOf('/x/tasks/t1', ['/p']), { name: 'tasks', root: '/x/tasks' });
  assert.deepEqual(poolOf('/p/alphabet/t1', ['/p/alpha']), { name: 'alphabet', root: '/p/alphabet' }, 'a root is a folder, not a name prefix');
  const a = taskEntry(task('same', '/r1/same'), ['/r1', '/r2']);
  const b = taskEntry(task('same', '/r2/same'), ['/r1', '/r2']);
  assert.notEqual(a.key, b.key);
});

test('1,000 tasks group in one pass', () => {
  const roots = ['/big'];
  const entries = Array.from({ length: 1000 }, (_, i) => taskEntry(task(`t${String(i).padStart(4, '0')}`, `/big/t${i}`, { category: `c${i % 6}` }), roots));
  const tree = buildTaskTree(entries, roots);
  assert.equal(tree[0]!.count, 1000);
  assert.equal(tree[0]!.categories.length, 6);
});

const verify: VerifyResult = {
  task_id: 'demo',
  reward: 0.5,
  passed: false,
  pass_threshold: 1,
  code: {
    score: 0.5,
    checks: [
      { id: 'ok', type: 'file_exists', weight: 1, score: 1, passed: true, message: 'exists', duration_ms: 1.2 },
      { id: 'bad', type: 'text_contains', weight: 1, score: 0, passed: false, message: '<img src=x onerror=alert(1)>', expected: 'a', actual: 'b', duration_ms: 2.7, details: { sub: 0.25 } },
      { id: 'info', type: 'file_exists', weight: 0, score: 0, passed: false, message: 'unweighted', duration_ms: 0 },
      { id: 'crash', type: 'script', weight: 1, score: null, passed: false, message: 'boom', error: 'check.py: exited 1', error_kind: 'verifier', duration_ms: 9 },
    ],
  },
  rubric: { status: 'not_judged', score: null, message: 'not judged' },
  weights_applied: { code: 1, rubric: 0 },
  error: null,
  error_kind: null,
  duration_ms: 12,
  verified_at: '2026-11-24T00:00:00.000Z',
};

const resultLine: ResultLine = {
  task_id: 'demo',
  attempt: 1,
  reward: 0.5,
  passed: false,
  error: null,
  error_kind: null,
  category: null,
  agent: 'oracle',
  agent_exit: { code: 0, signal: null, timed_out: false },
  code_score: 0.5,
  rubric_score: null,
  timings: { setup_ms: 1.4, agent_ms: 10.6, verify_ms: 20.2, total_ms: 32.2 },
  harness_retries: 0,
  trial_dir: 'trials/demo/1',
  finished_at: '2026-11-24T00:00:01.000Z',
};

test('verification state: rows keep text verbatim (escaping is the webview’s textContent), scores formatted', () => {
  const s = verificationState(verify, { kind: 'trial', runId: 'r', trialDir: '/r/trials/demo/1', agent: 'oracle', attempt: 1 }, resultLine);
  assert.equal(s.status, 'failed');
  assert.equal(s.score, '0.50');
  // Not passed first (errors, then failures), each group in task order.
  assert.deepEqual(s.checks.map((c) => [c.id, c.state, c.score]), [['crash', 'error', 'error'], ['bad', 'failed', '0.00'], ['info', 'failed', '0.00'], ['ok', 'passed', '1.00']]);
  assert.equal(s.checks[1]!.message, '<img src=x onerror=alert(1)>');
  assert.deepEqual(s.checks[1]!.details, [{ name: 'sub', score: '0.25' }]);
  assert.deepEqual(s.timings.map((t) => t.ms), [1, 11, 20, 32]);
  assert.equal(s.agentExit, 'exit 0');
  VerificationState.parse(s); // the state the host posts satisfies the protocol schema
  assert.deepEqual(s.rubric, { status: 'not_judged', score: null, message: 'not judged', model: null, error: null, judgments: [] });
  const judged = verificationState(
    { ...verify, rubric: { status: 'judged', score: 0.75, message: 'judged', model: 'judge-1', judgments: [{ rule: 'tone', score: 0.75, raw_score: 0.8, reason: '<b>ok</b>', file_path: 'out.md' }] } },
    { kind: 'folder', folder: '/w' },
  );
  assert.deepEqual(judged.rubric.judgments, [{ rule: 'tone', score: '0.75', reason: '<b>ok</b>', file: 'out.md' }]);
  assert.equal(judged.rubric.model, 'judge-1');
  const folder = verificationState({ ...verify, error: 'x', error_kind: 'verifier' }, { kind: 'folder', folder: '/w' });
  assert.equal(folder.status, 'error');
  assert.deepEqual(folder.timings, [{ phase: 'verify', ms: 12 }]);
});

test('failing checks for Test Explorer messages: errors first, unweighted ones left out', () => {
  assert.deepEqual(failingChecks(verify).map((c) => c.id), ['crash', 'bad']);
  assert.equal(failingChecks(verify)[1]!.expected, 'a');
});

test('webview messages are validated: unknown or malformed ones are dropped', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'openFile', path: 'out/a.txt' }), { type: 'openFile', path: 'out/a.txt' });
  assert.equal(parseWebviewMessage({ type: 'openFile', path: '' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openFile' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'runShell', cmd: 'rm -rf /' }), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});

test('CLI command lines: exact --include globs, quoting, no key on the command line', () => {
  const loc = { cliPath: '', nodePath: 'node', bundledCli: '/ext/dist/cli.cjs' };
  const argv = runArgv(loc, { taskSources: ['/t/a', '/t/a'], taskIds: ['a[1]'], agent: 'oracle', out: '/runs/x', sandbox: 'bwrap', json: true });
  assert.deepEqual(argv, ['node', '/ext/dist/cli.cjs', 'run', '/t/a', '--include', 'a\\[1\\]', '--agent', 'oracle', '--out', '/runs/x', '--json', '--no-progress']);
  assert.equal(exactGlob('plain-id_1.x'), 'plain-id_1.x');
  const claw = runArgv(loc, { taskSources: ['/t/a'], taskIds: ['a'], agent: 'claw', model: 'm1', out: '/r', sandbox: 'bwrap' });
  assert.deepEqual(claw.slice(-6), ['--agent', 'claw', '--out', '/r', '--model', 'm1']);
  assert.ok(!runArgv(loc, { taskSources: ['/t/a'], taskIds: ['a'], agent: 'oracle', model: 'm1', out: '/r', sandbox: 'bwrap' }).includes('--model'));
  assert.deepEqual(verifyArgv({ ...loc, cliPath: '/usr/bin/clawgym' }, '/t/a', '/w', 'none'), ['/usr/bin/clawgym', 'verify', '/t/a', '/w', '--json', '--sandbox', 'none']);
  assert.equal(shellLine(['node', '/a b/cli.cjs', "it's", '--x=1']), `node '/a b/cli.cjs' 'it'\\''s' --x=1`);
  assert.ok(!argv.join(' ').includes('KEY'));
});

test('runs and trials from a run folder, including a trial still running', () => {
  const runs = tempDir();
  const dir = join(runs, 'r1');
  mkdirSync(join(dir, 'trials', 'demo', '1'), { recursive: true });
  mkdirSync(join(dir, 'trials', 'other', '1'), { recursive: true });
  const manifest: Partial<RunManifest> = {
    schema_version: 1, run_id: 'r1', created_at: '2026-11-24T00:00:00.000Z', paths: [], include: [], exclude: [],
    tasks: [{ id: 'demo', source: '/t/demo', format: 'native', category: null }, { id: 'other', source: '/t/other', format: 'native', category: null }],
    agent: { name: 'oracle' }, attempts: 1, concurrency: 1, timeout_multiplier: 1, sandbox: 'bwrap', harness_retries: 2, versions: {},
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'results.jsonl'), `${JSON.stringify({ ...resultLine, passed: true, reward: 1 })}\n`);
  mkdirSync(join(runs, 'not-a-run'));
  const [run] = listRuns(runs);
  assert.equal(listRuns(runs).length, 1);
  assert.deepEqual([run!.runId, run!.finished, run!.passed, run!.trialsPlanned, run!.meanReward], ['r1', 1, 1, 2, 1]);
  assert.deepEqual(listTrials(dir).map((t) => [t.taskId, t.state, t.reward]), [['demo', 'passed', 1], ['other', 'running', null]]);
  assert.deepEqual(listRuns(join(runs, 'missing')), []);
});

test('the JSON-lines tail hands over complete lines only, across partial writes and split characters', async () => {
  const f = join(tempDir(), 'events.jsonl');
  const got: unknown[] = [];
  const tail = new JsonlTail(f, (v) => got.push(v));
  await tail.poll(); // no file yet: nothing, no error
  const line = Buffer.from(`${JSON.stringify({ text: 'héllo ✓' })}\n`);
  const cut = line.indexOf(Buffer.from('✓')) + 1; // inside the 3-byte character
  appendFileSync(f, line.subarray(0, cut));
  await tail.poll();
  assert.deepEqual(got, []);
  appendFileSync(f, Buffer.concat([line.subarray(cut), Buffer.from('{"torn": \n{"b":2}\n')]));
  await tail.poll();
  assert.deepEqual(got, [{ text: 'héllo ✓' }, { b: 2 }]);
  writeFileSync(f, '{"c":3}\n'); // replaced by a shorter file (harness retry): read from the start
  await tail.poll();
  assert.deepEqual(got.at(-1), { c: 3 });
});
