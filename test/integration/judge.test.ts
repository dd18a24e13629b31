/**
 * The rubric judge against a real HTTP Chat Completions server (scripted answers): judged rubrics
 * and the exact hybrid reward, the repair turn, a judge that fails (reported as the judge's
 * failure, never a score), snapping to the score options, PinchBench's free-text rubric, what the
 * judge is shown (capped, never outside the workspace), and judge calls recorded without the key.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { ROOT, runCli, tempDir, writeTask } from '../helpers.ts';
import { MockLlm, type ScriptedTurn } from '../mock-llm.ts';
import { snapScore } from '../../src/core/verify/judge.ts';
import { VerifyResult } from '../../src/core/verify/result.ts';

const KEY = 'sk-clawgym-judge-9d8c7b6a5f4e3d2c1b0a';
const llm = new MockLlm();
let root = '';
let configFile = '';
let task = '';

before(async () => {
  await llm.start();
  root = tempDir('clawgym-judge-');
  configFile = join(root, 'config.json');
  writeFileSync(configFile, JSON.stringify({ api_key: KEY, max_retries: 1 }));
  task = writeTask(
    root,
    {
      id: 'memo-task',
      instruction: 'Write a memo to Legal in memo.md and a summary in summary.md.',
      verify: {
        checks: [{ id: 'memo_exists', type: 'file_exists', path: 'memo.md' }],
        rubric: {
          eval_type: 'llm_rubric',
          score_options: [0, 0.25, 0.5, 0.75, 1],
          rules: [
            { name: 'memo_clarity', file_path: 'memo.md', scores: { '0': 'missing', '0.5': 'vague', '1': 'clear and actionable' } },
            { name: 'summary_accuracy', file_path: 'summary.md', scores: { '0': 'wrong', '1': 'accurate' } },
          ],
        },
        weights: { code: 0.7, rubric: 0.3 },
      },
    },
    { 'workspace/notes.txt': 'contract notes\n' },
  );
});
after(() => llm.stop());
beforeEach(() => {
  llm.requests.length = 0;
});

function workspace(files: Record<string, string>): string {
  const dir = join(tempDir('clawgym-judge-ws-'), 'ws');
  mkdirSync(dir, { recursive: true });
  for (const [p, c] of Object.entries(files)) writeFileSync(join(dir, p), c);
  return dir;
}

async function verify(folder: string, extra: string[] = [], taskPath = task): Promise<{ code: number | null; result: VerifyResult; stderr: string }> {
  const r = await runCli(['verify', taskPath, folder, '--json', '--judge-model', 'judge-model', '--judge-base-url', llm.url, '--config', configFile, ...extra]);
  assert.ok(r.stdout.trim(), r.stderr);
  return { code: r.code, result: VerifyResult.parse(JSON.parse(r.stdout)), stderr: r.stderr };
}

const answer = (judgments: Array<{ rule: string; score: number; reason?: string }>): ScriptedTurn => ({ content: JSON.stringify({ judgments: judgments.map((j) => ({ reason: 'because', ...j })) }) });
const GOOD = { 'memo.md': 'Clause 6.5 lets US affiliates access data: strike it.\n', 'summary.md': 'Two failures.\n', 'notes.txt': 'contract notes\n' };
const shown = (n = 0) => String(llm.requests[n]!.body.messages!.find((m) => m.role === 'user')!.content);

test('a valid answer: the rubric is judged per rule and the hybrid reward uses the task weights exactly', async () => {
  llm.setScript([answer([{ rule: 'memo_clarity', score: 0.5, reason: 'names the clause, vague ask' }, { rule: 'summary_accuracy', score: 1 }])]);
  const { code, result } = await verify(workspace(GOOD));
  assert.equal(code, 0);
  assert.equal(result.error, null);
  assert.equal(result.rubric.status, 'judged');
  assert.equal(result.rubric.score, 0.75);
  assert.equal(result.rubric.model, 'judge-model');
  assert.deepEqual(
    result.rubric.judgments!.map((j) => [j.rule, j.score, j.reason, j.file_path]),
    [
      ['memo_clarity', 0.5, 'names the clause, vague ask', 'memo.md'],
      ['summary_accuracy', 1, 'because', 'summary.md'],
    ],
  );
  assert.deepEqual(result.weights_applied, { code: 0.7, rubric: 0.3 });
  assert.equal(result.reward, 0.7 * 1 + 0.3 * 0.75);
  // Strict JSON asked for, deterministic, the separate judge model, the key only in the header.
  const req = llm.requests[0]!;
  assert.equal(llm.requests.length, 1);
  assert.equal(req.body.model, 'judge-model');
  assert.deepEqual(req.body.response_format, { type: 'json_object' });
  assert.equal(req.body.temperature, 0);
  assert.equal(req.headers.authorization, `Bearer ${KEY}`);
  assert.match(shown(), /Write a memo to Legal/);
  assert.match(shown(), /Clause 6\.5 lets US affiliates/);
  assert.match(shown(), /### Rule: summary_accuracy/);
});

test('invalid JSON, then a repaired answer: judged, and the repair turn says what was wrong', async () => {
  llm.setScript([{ content: 'Sure! The memo is great: 1.0' }, answer([{ rule: 'memo_clarity', score: 1 }, { rule: 'summary_accuracy', score: 1 }])]);
  const { result } = await verify(workspace(GOOD));
  assert.equal(result.rubric.status, 'judged');
  assert.equal(result.rubric.score, 1);
  assert.equal(result.reward, 1);
  assert.equal(llm.requests.length, 2);
  const repair = llm.requests[1]!.body.messages!;
  assert.equal(repair.at(-2)!.role, 'assistant');
  assert.equal(repair.at(-2)!.content, 'Sure! The memo is great: 1.0');
  assert.match(String(repair.at(-1)!.content), /not valid JSON/);
});

test('a schema mismatch is repaired too (a rule missing is named)', async () => {
  llm.setScript([answer([{ rule: 'memo_clarity', score: 1 }]), answer([{ rule: 'memo_clarity', score: 1 }, { rule: 'summary_accuracy', score: 0 }])]);
  const { result } = await verify(workspace(GOOD));
  assert.equal(result.rubric.status, 'judged');
  assert.equal(result.rubric.score, 0.5);
  assert.match(String(llm.requests[1]!.body.messages!.at(-1)!.content), /no judgment for rule "summary_accuracy"/);
});

test('invalid twice: a failure of the judge (kind judge), not a zero — the rubric is excluded and the trial errs', async () => {
  llm.setScript([{ content: 'not json' }, { content: '{"judgments": "still wrong"}' }]);
  const { code, result } = await verify(workspace(GOOD));
  assert.equal(code, 3);
  assert.equal(result.error_kind, 'judge');
  assert.match(result.error!, /no valid answer after a repair turn/);
  assert.equal(result.rubric.status, 'not_judged');
  assert.equal(result.rubric.score, null);
  assert.ok(result.rubric.error);
  assert.equal(result.passed, false);
  // The reward is what is known (the code part), never a rubric score of 0.
  assert.deepEqual(result.weights_applied, { code: 1, rubric: 0 });
  assert.equal(result.reward, 1);
  assert.equal(llm.requests.length, 2);
});

test('a model error after retries is a judge failure too', async () => {
  llm.setScript([{ status: 500 }, { status: 500 }, { status: 500 }]);
  const { result } = await verify(workspace(GOOD));
  assert.equal(result.error_kind, 'judge');
  assert.match(result.error!, /failed after 2 attempt/);
  assert.equal(result.rubric.score, null);
  assert.equal(llm.requests.length, 2); // max_retries 1 in the config
});

test('scores are snapped to the score options (a tie goes down)', async () => {
  assert.equal(snapScore(0.6, [0, 0.25, 0.5, 0.75, 1]), 0.5);
  assert.equal(snapScore(0.625, [0, 0.25, 0.5, 0.75, 1]), 0.5);
  assert.equal(snapScore(0.9, [0, 0.25, 0.5, 0.75, 1]), 1);
  assert.equal(snapScore(0.4, [0, 1]), 0);
  llm.setScript([answer([{ rule: 'memo_clarity', score: 0.9 }, { rule: 'summary_accuracy', score: 0.3 }])]);
  const { result } = await verify(workspace(GOOD));
  assert.deepEqual(
    result.rubric.judgments!.map((j) => [j.score, j.raw_score]),
    [
      [1, 0.9],
      [0.25, 0.3],
    ],
  );
  assert.equal(result.rubric.score, 0.625);
});

test('the files shown are capped, and a link out of the workspace shows nothing of its target', async () => {
  const ws = workspace({ 'notes.txt': 'contract notes\n', 'memo.md': `${'A'.repeat(200_000)}TAIL-MARKER` });
  symlinkSync('/etc/passwd', join(ws, 'summary.md'));
  llm.setScript([answer([{ rule: 'memo_clarity', score: 0 }, { rule: 'summary_accuracy', score: 0 }])]);
  const { result } = await verify(ws);
  const text = shown();
  assert.ok(text.length < 40_000, `prompt of ${text.length} characters`);
  assert.ok(!text.includes('TAIL-MARKER'));
  assert.match(text, /truncated: first 24000 of 200011 bytes/);
  assert.ok(!/root:.*:0:0:/.test(text), 'the judge saw /etc/passwd');
  assert.match(text, /summary\.md — summary\.md resolves outside the workspace/);
  const files = result.rubric.files!;
  assert.deepEqual(files.map((f) => [f.path, f.shown_bytes]), [
    ['memo.md', 24_000],
    ['summary.md', 0],
  ]);
  assert.match(files[1]!.note!, /outside the workspace/);
});

test("PinchBench's free-text judge rubric is judged as one rule with the task's grading weights", async () => {
  const pinch = join(ROOT, 'test', 'fixtures', 'formats', 'pinchbench', 'tasks', 'task_02_report.md');
  llm.setScript([answer([{ rule: 'overall', score: 0.75 }])]);
  const ws = workspace({ 'sales.csv': 'region,revenue\nNorth,100\nSouth,250\n', 'report.md': 'Total revenue 350; best region South.\n' });
  const { result } = await verify(ws, [], pinch);
  assert.equal(result.error, null, result.error ?? '');
  assert.equal(result.code.score, 1);
  assert.equal(result.rubric.status, 'judged');
  assert.equal(result.rubric.score, 0.75);
  assert.equal(result.reward, 0.6 * 1 + 0.4 * 0.75);
  // No file named: the judge sees what the agent created, and the rubric text.
  assert.match(shown(), /### report\.md/);
  assert.match(shown(), /Clear and correct/);
});

test('without a judge model nothing changes: the rubric is not judged and excluded', async () => {
  const r = await runCli(['verify', task, workspace(GOOD), '--json']);
  const result = VerifyResult.parse(JSON.parse(r.stdout));
  assert.equal(result.rubric.status, 'not_judged');
  assert.equal(result.reward, 1);
  assert.equal(result.error, null);
  assert.equal(llm.requests.length, 0);
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

test('in a run: judge calls recorded into the trial (redacted), the judge kept in run.json without its key', async () => {
  llm.setScript([answer([{ rule: 'memo_clarity', score: 0.5 }, { rule: 'summary_accuracy', score: 0.5 }])]);
  const out = join(tempDir(), 'run');
  const r = await runCli(['run', task, '--agent', 'command', '--command', 'echo memo > memo.md', '--judge-model', 'judge-model', '--judge-base-url', llm.url, '--config', configFile, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const line = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  assert.equal(line.error, null);
  assert.equal(line.rubric_score, 0.5);
  assert.equal(line.reward, 0.7 + 0.3 * 0.5);
  const trial = join(out, 'trials', 'memo-task', '1');
  const calls = readFileSync(join(trial, 'llm', 'judge-calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].model, 'judge-model');
  assert.equal(calls[0].request.headers.authorization, 'Bearer [REDACTED]');
  // The judge's usage is counted apart from the agent's (which made no model call here).
  assert.equal(line.llm.agent, null);
  assert.equal(line.llm.judge.calls, 1);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(report.llm.judge.calls, 1);
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(manifest.judge.model, 'judge-model');
  assert.equal(manifest.judge.base_url, llm.url);
  const events = readFileSync(join(trial, 'events.jsonl'), 'utf8');
  assert.match(events, /"type":"rubric","status":"judged","score":0.5/);
  for (const f of allFiles(out)) assert.ok(!readFileSync(f).includes(KEY), `the key is in ${f}`);
});
