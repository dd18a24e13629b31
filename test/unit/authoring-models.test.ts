/** The authoring and first-contact view models, the sound-state rule and the task templates: plain Node, no vscode. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { ResultLine } from '../../src/core/runs/records.js';
import { describeSoundness, sanityOutcome, soundness } from '../../src/core/runs/sanity.js';
import { loadTasks } from '../../src/core/task/load.js';
import { checkPositions, parseTaskYaml } from '../../src/core/task/native.js';
import { TASK_TEMPLATES, taskIdProblem, writeTemplateTask } from '../../src/core/task/templates.js';
import { checkInsertion, checkSnippets, duplicateTaskYaml, insertionSnippet } from '../../src/extension/model/authoring.js';
import { brokenEntry, buildTaskTree, difficultyLabel, problemLabel, taskEntry, taskFileOf } from '../../src/extension/model/task-tree.js';
import { checkNotes, checkTolerance, latestTrial, verificationState } from '../../src/extension/model/verification.js';
import type { VerifyResult } from '../../src/core/verify/result.js';
import { ROOT, tempDir } from '../helpers.js';

const line = (over: Partial<ResultLine>): ResultLine =>
  ({ task_id: 't', attempt: 1, reward: 0, passed: false, error: null, error_kind: null, category: null, agent: 'nop', agent_exit: null, code_score: 0, rubric_score: null, timings: { setup_ms: 0, agent_ms: 0, verify_ms: 0, total_ms: 0 }, harness_retries: 0, trial_dir: 'trials/t/1', finished_at: '2026-01-01T00:00:00Z', ...over }) as ResultLine;

test('sound when the oracle passes and nop scores 0; unsound says why; untested says what is missing', () => {
  const oracle = line({ agent: 'oracle', reward: 1, passed: true });
  assert.equal(soundness({ oracle, nop: line({}) }).state, 'sound');
  const bad = soundness({ oracle, nop: line({ reward: 0.25 }) });
  assert.equal(bad.state, 'unsound');
  assert.match(bad.reasons[0]!, /nop scores 0\.2500/);
  const half = soundness({ oracle });
  assert.deepEqual([half.state, half.missing], ['untested', ['nop']]);
  assert.equal(soundness({}).missing.length, 2);
  // An unsound result decides even with the other missing.
  assert.equal(soundness({ nop: line({ reward: 1, passed: true }) }).state, 'unsound');
  assert.match(describeSoundness(half), /^untested: no nop result yet$/);
});

test('a nop scoring 0 is a pass (its goal), above 0 a failure; an oracle below the threshold fails', () => {
  assert.equal(sanityOutcome('nop', line({ reward: 0 })).state, 'passed');
  assert.equal(sanityOutcome('nop', line({ reward: 0.5 })).state, 'failed');
  assert.equal(sanityOutcome('oracle', line({ agent: 'oracle', reward: 0.5 })).state, 'failed');
  assert.equal(sanityOutcome('oracle', line({ agent: 'oracle', error: 'boom', error_kind: 'harness' })).state, 'errored');
});

test('a broken task keeps its key, title and category from what its file still says, with its problems', () => {
  const roots = ['/p/pool'];
  const b = brokenEntry('/p/pool/t1', { problems: [{ file: '/p/pool/t1/task.yaml', line: 39, column: 13, message: 'verify.checks.0.type: unknown' }] }, { format: 'native', id: 't1', title: 'Title one', category: 'Software Dev' }, roots);
  const ok = taskEntry({ spec: { id: 't1', title: 'Title one', instruction: 'x', category: 'Software Dev' } as never, format: 'native', source: '/p/pool/t1', workspace: [], warnings: [] }, roots);
  assert.equal(b.key, ok.key, 'fixing the task brings it back under the same key');
  assert.deepEqual([b.title, b.category, b.problems.length], ['Title one', 'Software Dev', 1]);
  assert.equal(problemLabel(b.problems[0]!), '39:13 verify.checks.0.type: unknown');
  const tree = buildTaskTree([b], roots);
  assert.equal(tree[0]!.categories[0]!.tasks[0]!.id, 't1', 'the broken task is in the tree, in its category');
  const nameless = brokenEntry('/p/pool/t2', { problems: [{ file: '/p/pool/t2/task.yaml', message: 'bad YAML' }] }, { format: 'native' }, roots);
  assert.deepEqual([nameless.id, nameless.title, nameless.category], ['t2', 't2', 'Uncategorized']);
});

test('the loader reports a broken task with its folder, format and positions', async () => {
  const dir = tempDir();
  const tpl = TASK_TEMPLATES[0]!;
  const task = await writeTemplateTask(tpl, dir, { id: 'b1', title: 'B' });
  const file = join(task, 'task.yaml');
  const text = readFileSync(file, 'utf8').replace('type: file_exists', 'type: json_path2');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(file, text);
  const { errors } = await loadTasks([dir]);
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.source, task);
  assert.equal(errors[0]!.format, 'native');
  const p = errors[0]!.problems[0]!;
  assert.equal(text.split('\n')[p.line! - 1]!.slice(p.column! - 1), 'json_path2');
});

test('rows: titles, difficulty in words; the file that defines a task in each format', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map(difficultyLabel), ['very easy', 'easy', 'medium', 'hard', 'very hard']);
  assert.equal(difficultyLabel(undefined), undefined);
  const t = taskEntry({ spec: { id: 'x', title: 'The title', instruction: 'Do it.\nMore' } as never, format: 'native', source: '/a/x', workspace: [], warnings: [] }, ['/a']);
  assert.equal(t.title, 'The title');
  assert.equal(taskFileOf({ format: 'clawgym', source: '/a/task_0001' }), '/a/task_0001/data_entry.json');
  assert.equal(taskFileOf({ format: 'native', source: '/a/x' }), '/a/x/task.yaml');
  assert.equal(taskFileOf({ format: 'pinchbench', source: '/a/t.md' }), '/a/t.md');
});

test('every template writes a task that loads, whose ids and titles are as asked', async () => {
  const dir = tempDir();
  for (const tpl of TASK_TEMPLATES) {
    const d = await writeTemplateTask(tpl, dir, { id: `n-${tpl.name}`, title: `"${tpl.label}": quoted & odd` });
    const spec = parseTaskYaml(readFileSync(join(d, 'task.yaml'), 'utf8'), join(d, 'task.yaml')).spec;
    assert.equal(spec.id, `n-${tpl.name}`);
    assert.equal(spec.title, `"${tpl.label}": quoted & odd`);
    assert.ok(spec.verify.checks.length > 0);
  }
  const { tasks, errors } = await loadTasks([dir]);
  assert.deepEqual([tasks.length, errors.length], [TASK_TEMPLATES.length, 0]);
  await assert.rejects(writeTemplateTask(TASK_TEMPLATES[0]!, dir, { id: 'n-text-file', title: 'again' }), /already exists/);
  assert.match(taskIdProblem('has space') ?? '', /no spaces/);
});

test('Add Check inserts after the last check at its indentation, or makes verify.checks', () => {
  const apply = (text: string) => {
    const ins = checkInsertion(text);
    const lines = text.split('\n');
    lines.splice(ins.line, ins.replaceLine ? 1 : 0, ...insertionSnippet(ins, ['- id: n', '  type: file_exists', '  path: b']).replace(/\n$/, '').split('\n'));
    return lines.join('\n');
  };
  const base = 'id: a\ntitle: A\ninstruction: x\nverify:\n  checks:\n    - id: x\n      type: file_exists\n      path: a\n  pass: 1\n';
  const out = parse(apply(base)) as { verify: { checks: Array<{ id: string }>; pass: number } };
  assert.deepEqual(out.verify.checks.map((c) => c.id), ['x', 'n']);
  assert.equal(out.verify.pass, 1);
  for (const text of ['id: a\nverify:\n  checks: []\n  pass: 1\n', 'id: a\nverify:\n  pass: 1\n', 'id: a\ntitle: t\n']) {
    assert.deepEqual((parse(apply(text)) as { verify: { checks: Array<{ id: string }> } }).verify.checks.map((c) => c.id), ['n'], text);
  }
});

test('the check snippets file: one snippet per check type it names, each a valid check', () => {
  const snippets = checkSnippets(readFileSync(join(ROOT, 'snippets', 'task-checks.code-snippets'), 'utf8'));
  assert.ok(snippets.length >= 6);
  for (const s of snippets) {
    // Snippet placeholders become their defaults; the result must be a valid check in a task.
    const body = s.body.join('\n').replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d/g, '').replace(/\\\$/g, '$');
    const text = `id: s\ntitle: S\ninstruction: x\nverify:\n  checks:\n${body.split('\n').map((l) => `    ${l}`).join('\n')}\n`;
    assert.doesNotThrow(() => parseTaskYaml(text, 'task.yaml'), `snippet ${s.name}:\n${text}`);
  }
});

test('a duplicate gets the new id, "(copy)" and a pending review; comments stay', () => {
  const out = duplicateTaskYaml('# keep me\nid: a\ntitle: T\nreview:\n  status: accepted\n  notes: n\n', 'b');
  assert.match(out, /^# keep me/);
  const spec = parse(out) as { id: string; title: string; review: unknown };
  assert.deepEqual(spec, { id: 'b', title: 'T (copy)', review: { status: 'pending' } });
});

test('Verification: failing checks first, tolerances in words, each check at its task.yaml line; the newest trial', () => {
  const text = 'id: a\ntitle: A\ninstruction: x\nverify:\n  checks:\n    - id: one\n      type: file_exists\n      path: a\n    - type: json_path\n      path: r.json\n      query: $.t\n      equals: 1\n      tolerance: 0.01\n';
  const { spec } = parseTaskYaml(text, '/t/task.yaml');
  const at = checkPositions(text, '/t/task.yaml');
  assert.deepEqual([at.get('one')?.line, at.get('json_path_2')?.line], [6, 9]);
  assert.equal(checkTolerance(spec.verify.checks[1]!), '± 0.01');
  const check = (id: string, passed: boolean) => ({ id, type: 'file_exists', weight: 1, score: passed ? 1 : 0, passed, message: id, duration_ms: 1 });
  const v = { task_id: 'a', reward: 0.5, passed: false, pass_threshold: 1, error: null, code: { score: 0.5, checks: [check('one', true), check('json_path_2', false)] }, rubric: { status: 'absent', score: null, message: '' }, weights_applied: { code: 1, rubric: 0 }, duration_ms: 1, verified_at: 'now' } as unknown as VerifyResult;
  const lines = new Map([...at].map(([id, p]) => [id, p.line!]));
  const s = verificationState(v, { kind: 'folder', folder: '/f' }, undefined, checkNotes(spec.verify.checks, lines));
  assert.deepEqual(s.checks.map((c) => [c.id, c.state, c.line, c.tolerance]), [['json_path_2', 'failed', 9, '± 0.01'], ['one', 'passed', 6, undefined]]);
  const run = (id: string, at: string) => ({ runId: id, runDir: `/r/${id}`, createdAt: at, agent: 'nop', lines: [line({ finished_at: at })] });
  assert.equal(latestTrial([run('old', '2026-01-01T00:00:00Z'), run('new', '2026-01-02T00:00:00Z')])?.run.runId, 'new');
});

test('package.json: viewsWelcome for the three views, a walkthrough, the snippets and the authoring commands', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { contributes: Record<string, Array<Record<string, unknown>>> };
  const c = pkg.contributes;
  assert.deepEqual(c.viewsWelcome!.map((w) => w.view).sort(), ['clawgym.bench', 'clawgym.runs', 'clawgym.tasks']);
  const steps = (c.walkthroughs![0]!.steps as Array<{ id: string; media: { markdown?: string } }>);
  assert.ok(steps.length >= 4);
  for (const s of steps) if (s.media.markdown) assert.ok(readFileSync(join(ROOT, s.media.markdown), 'utf8').length > 0, s.media.markdown);
  assert.equal((c.snippets![0] as { language: string }).language, 'clawgym-task');
  const cmds = new Set(c.commands!.map((x) => x.command));
  for (const k of ['clawgym.newTask', 'clawgym.duplicateTask', 'clawgym.addCheck', 'clawgym.convertToNative']) assert.ok(cmds.has(k), k);
});
