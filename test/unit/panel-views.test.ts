/** The panel views' pure parts: the static report page, the compare and bench view models. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCheck } from '../../src/core/bench/check.js';
import { compareRunFolders } from '../../src/core/runs/compare.js';
import type { ResultLine, RunManifest } from '../../src/core/runs/records.js';
import { benchBuildArgv, benchProblems, benchSummary, buildProgress, poolRoots } from '../../src/extension/model/bench.js';
import { compareState } from '../../src/extension/model/compare-view.js';
import { STATIC_CSP, staticHtml } from '../../src/extension/model/static-html.js';
import { CompareState, WebviewMessage as CompareMessage } from '../../src/protocol/compare.js';
import { tempDir } from '../helpers.js';

test('a static report gets a CSP that allows only inline styles and data: images, first in its head', () => {
  const doc = '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>x &lt;head&gt;</title></head><body><svg></svg></body></html>';
  const out = staticHtml(doc);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${STATIC_CSP}">`;
  assert.ok(out.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n' + meta), out.slice(0, 200));
  assert.equal(out.replace(`\n${meta}`, ''), doc, 'nothing else of the document changes');
  assert.match(STATIC_CSP, /default-src 'none'/);
  assert.doesNotMatch(STATIC_CSP, /script-src|unsafe-eval|https?:/);
  // A fragment without a head still gets the policy before its content.
  const frag = staticHtml('<p>hi</p>');
  assert.ok(frag.indexOf(meta) < frag.indexOf('<p>hi</p>'));
});

function writeRun(runs: string, name: string, agent: string, rewards: Record<string, number>): string {
  const dir = join(runs, name);
  mkdirSync(dir, { recursive: true });
  const ids = Object.keys(rewards);
  const manifest: Partial<RunManifest> = {
    schema_version: 1, run_id: name, created_at: '2026-12-01T00:00:00.000Z', paths: [], include: [], exclude: [],
    tasks: ids.map((id) => ({ id, source: `/t/${id}`, format: 'native', category: 'Cat <b>' })),
    agent: { name: agent }, attempts: 1, concurrency: 1, timeout_multiplier: 1, sandbox: 'bwrap', harness_retries: 2, versions: {},
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
  const line = (id: string, reward: number): ResultLine => ({
    task_id: id, attempt: 1, reward, passed: reward >= 1, error: null, error_kind: null, category: 'Cat <b>', agent,
    agent_exit: { code: 0, signal: null, timed_out: false }, code_score: reward, rubric_score: null,
    timings: { setup_ms: 1, agent_ms: 1, verify_ms: 1, total_ms: 3 }, harness_retries: 0, trial_dir: `trials/${id}/1`, finished_at: '2026-12-01T00:00:01.000Z',
  });
  writeFileSync(join(dir, 'results.jsonl'), ids.map((id) => `${JSON.stringify(line(id, rewards[id]!))}\n`).join(''));
  return dir;
}

test('compare view: regressions first (worst first), then gains, then unchanged; deltas signed; only-in lists', () => {
  const runs = tempDir();
  const a = writeRun(runs, 'run-a', 'oracle', { same: 1, down: 1, 'down-a-bit': 1, up: 0, 'only-a': 1 });
  const b = writeRun(runs, 'run-b', 'claw', { same: 1, down: 0, 'down-a-bit': 0.5, up: 0.75, 'only-b<i>': 1 });
  const s = compareState(compareRunFolders(a, b), { location: 'runs/run-a', createdAt: 'x' }, { location: 'runs/run-b', createdAt: 'y' });
  assert.deepEqual(s.rows.map((r) => [r.taskId, r.kind, r.aReward, r.bReward, r.deltaReward]), [
    ['down', 'regression', '1.000', '0.000', '-1.000'],
    ['down-a-bit', 'regression', '1.000', '0.500', '-0.500'],
    ['up', 'gain', '0.000', '0.750', '+0.750'],
    ['same', 'unchanged', '1.000', '1.000', '±0.000'],
  ]);
  assert.deepEqual(s.counts, { regressions: 2, gains: 1, unchanged: 1 });
  assert.deepEqual([s.onlyInA, s.onlyInB], [['only-a'], ['only-b<i>']]);
  assert.deepEqual([s.a.runId, s.a.agent, s.b.runId, s.b.agent], ['run-a', 'oracle', 'run-b', 'claw']);
  // Text stays verbatim (the webview sets it as text), and the state is what the protocol says.
  assert.equal(s.rows[0]!.category, 'Cat <b>');
  CompareState.parse(s);
  const [all, shared] = s.headline;
  assert.equal(all!.label, 'all trials');
  assert.equal(shared!.label, '4 shared tasks');
  assert.equal(shared!.rewardTone, 'worse');
  assert.equal(shared!.deltaReward, '-0.188');
  // The threshold hides small moves, exactly as clawgym compare --threshold does.
  const t = compareState(compareRunFolders(a, b, { threshold: 0.6 }), { location: '', createdAt: '' }, { location: '', createdAt: '' });
  assert.deepEqual(t.rows.map((r) => [r.taskId, r.kind]), [['down', 'regression'], ['up', 'gain'], ['down-a-bit', 'unchanged'], ['same', 'unchanged']]);
});

test('compare view messages are validated: unknown sides and types are refused', () => {
  assert.equal(CompareMessage.safeParse({ type: 'openTrial', side: 'a', taskId: 'x' }).success, true);
  assert.equal(CompareMessage.safeParse({ type: 'openTrial', side: 'c', taskId: 'x' }).success, false);
  assert.equal(CompareMessage.safeParse({ type: 'openTrial', side: 'a', taskId: '' }).success, false);
  assert.equal(CompareMessage.safeParse({ type: 'eval', code: '1' }).success, false);
});

test('bench check problems: a changed task at its hash in bench.yaml, a missing one at its path, an unloadable folder at its line:column', () => {
  const manifestText = [
    'schema_version: 1',
    'name: bench',
    'tasks:',
    '  - id: alpha',
    '    path: tasks/alpha',
    '    hash: sha256:' + 'a'.repeat(64),
    '  - id: beta',
    '    path: tasks/beta',
    '    hash: sha256:' + 'b'.repeat(64),
    '',
  ].join('\n');
  const check: BenchCheck = {
    bench: '/b',
    manifest: '/b/bench.yaml',
    ok: false,
    tasks: 2,
    unchanged: 0,
    changed: [{ id: 'alpha', path: 'tasks/alpha', expected: 'sha256:' + 'a'.repeat(64), actual: 'sha256:' + 'c'.repeat(64), files: { expected: 3, actual: 4 } }],
    missing: [{ id: 'beta', path: 'tasks/beta' }],
    added: [
      { id: 'gamma', path: 'tasks/gamma' },
      { id: null, path: 'tasks/broken/task.yaml', problem: 'bad type', problems: [{ file: 'tasks/broken/task.yaml', line: 6, column: 13, message: 'bad type' }] },
    ],
  };
  const p = benchProblems(check, manifestText);
  assert.deepEqual(p.map((x) => [x.kind, x.file, x.line, x.column, x.severity, x.taskId]), [
    ['changed', '/b/bench.yaml', 6, 11, 'error', 'alpha'],
    ['missing', '/b/bench.yaml', 8, 11, 'error', 'beta'],
    ['added', '/b/bench.yaml', 3, 1, 'warning', 'gamma'],
    ['unloadable', '/b/tasks/broken/task.yaml', 6, 13, 'error', null],
  ]);
  assert.match(p[0]!.message, /alpha changed since the bench was built \(tasks\/alpha: 3 → 4 files/);
  assert.deepEqual(benchSummary(check), { ok: false, label: 'differs from bench.yaml: 1 changed, 1 missing, 2 added; 0 of 2 unchanged' });
  assert.deepEqual(benchSummary({ ...check, ok: true, unchanged: 2, changed: [], missing: [], added: [] }), { ok: true, label: 'matches bench.yaml: 2 of 2 tasks unchanged' });
  // A manifest that is not YAML still places its problems (at the top).
  assert.deepEqual(benchProblems(check, ': : [').slice(0, 2).map((x) => [x.line, x.column]), [[1, 1], [1, 1]]);
});

test('bench build: the command line, its progress lines, and a pool without the bench inside it', () => {
  const loc = { cliPath: '', nodePath: 'node', bundledCli: '/x/cli.cjs' };
  assert.deepEqual(benchBuildArgv(loc, { from: ['/w/tasks', '/w/tasks'], out: '/w/bench', require: 'accepted', sandbox: 'none', size: 5, concurrency: 2 }), [
    'node', '/x/cli.cjs', 'bench', 'build', '--from', '/w/tasks', '--out', '/w/bench', '--require', 'accepted', '--size', '5', '--sandbox', 'none', '--concurrency', '2',
  ]);
  assert.deepEqual(buildProgress('nop run: 12 task(s)…'), { step: 'nop run', tasks: 12 });
  assert.deepEqual(buildProgress('select: 3 task(s)…'), { step: 'select', tasks: 3 });
  assert.equal(buildProgress('warning: something'), undefined);
  assert.deepEqual(poolRoots(['/w/tasks', '/w/bench', '/w/bench/tasks', '/w/bench2'], '/w/bench'), ['/w/tasks', '/w/bench2']);
});
