/**
 * The claw agent against a real HTTP Chat Completions server (scripted), with tools executed in
 * the real bubblewrap sandbox: solving a bundled example, retries, malformed calls, limits,
 * trajectories (ATIF), transcripts (PinchBench grade()), snapshots, replay, and no key on disk.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EXAMPLES, ROOT, runCli, tempDir, writeRaw } from '../helpers.ts';
import { MockLlm, type ScriptedTurn } from '../mock-llm.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';

const KEY = 'sk-clawgym-test-5f3a9c1e7b2d4086a1c3e5f7';
const TASK = join(EXAMPLES, 'fix-invoice-rounding');
const llm = new MockLlm();
let configFile = '';

before(async () => {
  await llm.start();
  const dir = tempDir();
  configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ api_key: KEY, max_retries: 3, prices: { 'mock-model': { input_per_mtok: 1, output_per_mtok: 2 } } }));
});
after(() => llm.stop());

const results = (dir: string) => readFileSync(join(dir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const trialDir = (out: string, task: string) => join(out, 'trials', task, '1');
const events = (dir: string) => readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

function claw(out: string, task: string, extra: string[] = [], env?: Record<string, string>) {
  return runCli(['run', task, '--agent', 'claw', '--model', 'mock-model', '--base-url', llm.url, '--config', configFile, '--out', out, '--json', ...extra], { env });
}

const MONEY_PY = `"""Money helpers."""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def round_money(amount):
    """Round an amount to whole cents (half-up, as our accountant requires)."""
    return Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(amount):
    """Format an amount as '1,234.50'."""
    return f"{amount:,.2f}"
`;

/**
 * The oracle's fix (solution/solve.sh) as a model would make it: read, write, edit, exec. The test
 * run's timing is cut from its output so a replay sees the same observation however loaded the host.
 */
function solveScript(): ScriptedTurn[] {
  return [
    { content: 'Let me look at the issue and the code.', tool_calls: [{ name: 'read', arguments: { file_path: 'ISSUE.md' } }, { name: 'read', arguments: { path: 'invoicing/invoice.py' } }] },
    { tool_calls: [{ name: 'write', arguments: { path: 'invoicing/money.py', content: MONEY_PY } }] },
    {
      tool_calls: [
        { name: 'edit', arguments: { path: 'invoicing/invoice.py', oldText: 'from .money import round_money\n', newText: 'from decimal import Decimal\n\nfrom .money import round_money\n' } },
        {
          name: 'edit',
          arguments: {
            filePath: 'invoicing/invoice.py',
            old_string: '    gross_before_discount = line.quantity * line.unit_price\n    vat = round_money(gross_before_discount * line.vat_rate)\n    net = round_money(gross_before_discount * (1 - line.discount_pct / 100))\n',
            new_string: '    dec = lambda x: Decimal(str(x))\n    discounted = dec(line.quantity) * dec(line.unit_price) * (1 - dec(line.discount_pct) / 100)\n    net = round_money(discounted)\n    vat = round_money(discounted * dec(line.vat_rate))\n',
          },
        },
        { name: 'edit', arguments: { file: 'invoicing/invoice.py', oldString: '    net = vat = 0\n', newString: '    net = vat = Decimal(0)\n' } },
      ],
    },
    { tool_calls: [{ name: 'edit', arguments: { path: 'CHANGELOG.md', old_text: '## [Unreleased]\n', new_text: '## [Unreleased]\n### Fixed\n- Half-up cent rounding and VAT on the discounted amount (fixes INV-0042).\n' } }] },
    { tool_calls: [{ name: 'exec', arguments: { command: 'python3 -m unittest -q 2>&1 | tail -3 | sed -E "s/ in [0-9.]+s\$//"' } }] },
    { content: 'Fixed the rounding and the VAT base; the tests pass.' },
  ];
}

let solvedRun = '';

/** Why a run failed, for the assertion message: stderr and the trial errors it recorded. */
function failureOf(r: { stderr: string }, out: string): string {
  let errors = '';
  try {
    errors = results(out).map((l) => `${l.error_kind}: ${l.error}`).join('\n');
  } catch {
    /* no results written */
  }
  return `${r.stderr}\n${errors}`;
}

test('claw solves a bundled example through read/write/edit/exec in the sandbox and scores 1.0 (streaming)', async () => {
  llm.setScript(solveScript());
  llm.requests.length = 0;
  const out = join(tempDir(), 'run');
  const r = await claw(out, TASK);
  assert.equal(r.code, 0, failureOf(r, out));
  const [line] = results(out);
  assert.equal(line.error, null, line.error);
  assert.equal(line.reward, 1, JSON.stringify(JSON.parse(readFileSync(join(trialDir(out, 'fix-invoice-rounding'), 'verify.json'), 'utf8')).code.checks, null, 1));
  assert.equal(line.agent_exit.end_reason, 'model_stopped');
  // Usage and cost summed from the call log into the result line and the run's report.
  assert.equal(line.llm.agent.calls, 6);
  assert.ok(line.llm.agent.prompt_tokens > 0 && line.llm.agent.cost_usd > 0, JSON.stringify(line.llm));
  assert.equal(line.llm.judge, null);
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.deepEqual(report.llm.agent, line.llm.agent);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /Model calls/);
  // The model got the tools and streamed; the key only in the Authorization header.
  assert.equal(llm.requests.length, 6);
  assert.ok(llm.requests.every((q) => q.body.stream === true && q.headers.authorization === `Bearer ${KEY}`));
  const toolMsgs = llm.requests[5]!.body.messages!.filter((m) => m.role === 'tool');
  assert.equal(toolMsgs.length, 8);
  assert.match(String(toolMsgs[0]!.content), /INV-0042/);
  assert.match(String(toolMsgs.at(-1)!.content), /OK/);
  solvedRun = out;
});

/** A tool schema without its prose: names, parameter names, types, enums, required. */
function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shapeOf);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'description').map(([k, x]) => [k, shapeOf(x)]));
  return v;
}

test('the declared tools carry exactly the names and parameters of the reference JSON, in our own words', () => {
  const reference = JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'reference', 'openclaw-coding-tools.json'), 'utf8'));
  assert.ok(solvedRun, 'needs the solve run');
  const sent = llm.requests[0]!.body.tools as unknown[];
  assert.deepEqual(shapeOf(sent), shapeOf(reference));
  // Every parameter keeps a description, none copied from the reference.
  const descs = (x: unknown): string[] => (Array.isArray(x) ? x.flatMap(descs) : x && typeof x === 'object' ? Object.entries(x).flatMap(([k, y]) => (k === 'description' && typeof y === 'string' ? [y] : descs(y))) : []);
  const ours = new Set(descs(sent));
  for (const d of descs(reference)) assert.ok(!ours.has(d), `description copied from the reference: ${d}`);
});

test('trajectory.json validates against ATIF; events, transcript, calls and snapshots are written', () => {
  const dir = trialDir(solvedRun, 'fix-invoice-rounding');
  const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(dir, 'trajectory.json'), 'utf8')));
  assert.deepEqual(t.steps.slice(0, 2).map((s) => s.source), ['system', 'user']);
  const agentSteps = t.steps.filter((s) => s.source === 'agent');
  assert.equal(agentSteps.length, 6);
  assert.deepEqual(agentSteps[0]!.tool_calls!.map((c) => c.function_name), ['read', 'read']);
  assert.equal(agentSteps[0]!.observation!.results.length, 2);
  assert.equal(t.final_metrics?.total_prompt_tokens, 600);
  assert.ok(Math.abs((t.final_metrics?.total_cost_usd ?? 0) - (600 * 1 + 120 * 2) / 1e6) < 1e-12);
  assert.equal(t.extra?.end_reason, 'model_stopped');
  const ev = events(dir);
  for (const type of ['trial_start', 'step', 'llm_call', 'tool_call', 'tool_result', 'snapshot', 'agent_end', 'trial_end']) assert.ok(ev.some((e) => e.type === type), type);
  const calls = readFileSync(join(dir, 'llm', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(calls.length, 6);
  assert.equal(calls[0].request.headers.authorization, 'Bearer [REDACTED]');
  // One snapshot per step that changed files: initial, write, edits, changelog, exec (pycache off: unchanged).
  const git = (...a: string[]) => execFileSync('git', ['-c', 'safe.directory=*', '--git-dir', join(dir, 'snapshots.git'), ...a], { encoding: 'utf8' });
  const log = git('log', '--format=%s').trim().split('\n');
  assert.deepEqual(log, ['step 4', 'step 3', 'step 2', 'step 0: the workspace as materialized']);
  assert.match(git('diff', 'HEAD~1', 'HEAD', '--', 'CHANGELOG.md'), /\+- Half-up cent rounding/);
  assert.equal(agentSteps[1]!.extra?.snapshot, git('rev-parse', 'HEAD~2').trim());
});

test('no file under a finished run contains the API key', () => {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.isFile() ? [join(d, e.name)] : []));
  const files = walk(solvedRun);
  assert.ok(files.length > 20);
  assert.ok(files.some((f) => f.includes('snapshots.git/objects')));
  for (const f of files) assert.ok(!readFileSync(f).includes(KEY), f);
  assert.ok(statSync(join(solvedRun, 'run.json')).isFile());
});

test('replaying the recorded trajectory reproduces the final workspace (same verify result)', async () => {
  const traj = join(trialDir(solvedRun, 'fix-invoice-rounding'), 'trajectory.json');
  const out = join(tempDir(), 'replay');
  const before = llm.requests.length;
  const r = await runCli(['run', TASK, '--agent', 'replay', '--trajectory', traj, '--out', out, '--json']);
  assert.equal(r.code, 0, failureOf(r, out));
  assert.equal(llm.requests.length, before, 'replay calls no model');
  const [line] = results(out);
  assert.equal(line.reward, 1);
  const dir = trialDir(out, 'fix-invoice-rounding');
  const v1 = JSON.parse(readFileSync(join(trialDir(solvedRun, 'fix-invoice-rounding'), 'verify.json'), 'utf8'));
  const v2 = JSON.parse(readFileSync(join(dir, 'verify.json'), 'utf8'));
  assert.deepEqual(v2.code.checks.map((c: { score: number }) => c.score), v1.code.checks.map((c: { score: number }) => c.score));
  const report = JSON.parse(readFileSync(join(dir, 'replay.json'), 'utf8'));
  assert.equal(report.calls, 8);
  assert.deepEqual(report.divergences, []);
  AtifTrajectory.parse(JSON.parse(readFileSync(join(dir, 'trajectory.json'), 'utf8')));
  // The replayed transcript has the same tool calls as the original (transcript checks agree).
  const calls = (d: string) =>
    readFileSync(join(d, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      .flatMap((e) => (e.message?.role === 'assistant' ? e.message.content : []))
      .filter((p: { type: string }) => p.type === 'toolCall')
      .map((p: { name: string; arguments: unknown }) => [p.name, p.arguments]);
  const original = calls(trialDir(solvedRun, 'fix-invoice-rounding'));
  assert.equal(original.length, 8);
  assert.deepEqual(calls(dir), original);
});

test('replay reports where observations diverge', async () => {
  const src = JSON.parse(readFileSync(join(trialDir(solvedRun, 'fix-invoice-rounding'), 'trajectory.json'), 'utf8'));
  const agentStep = src.steps.find((s: { source: string }) => s.source === 'agent');
  agentStep.observation.results[0].content = 'something else entirely';
  const dir = tempDir();
  const traj = join(dir, 'trajectory.json');
  writeFileSync(traj, JSON.stringify(src));
  const out = join(dir, 'replay');
  const r = await runCli(['run', TASK, '--agent', 'replay', '--trajectory', traj, '--out', out, '--json']);
  assert.equal(r.code, 0, failureOf(r, out));
  const report = JSON.parse(readFileSync(join(trialDir(out, 'fix-invoice-rounding'), 'replay.json'), 'utf8'));
  assert.equal(report.divergences.length, 1, JSON.stringify(report.divergences));
  assert.equal(report.divergences[0].function_name, 'read');
  assert.equal(report.divergences[0].step_id, agentStep.step_id);
  assert.ok(events(trialDir(out, 'fix-invoice-rounding')).some((e) => e.type === 'replay_divergence'));
});

/** A one-file task: quick to run, with a check that the file was written. */
function tinyTask(root: string, extra: Record<string, unknown> = {}): string {
  const dir = join(root, 'tiny');
  writeRaw(join(dir, 'task.yaml'), JSON.stringify({ id: 'tiny', title: 'tiny', instruction: 'Write hello to out.txt', timeout_sec: 60, verify: { checks: [{ id: 'out', type: 'text_equals', path: 'out.txt', text: 'hello' }] }, ...extra }));
  writeRaw(join(dir, 'workspace', 'in.txt'), 'x\n');
  return dir;
}

test('injected 429 (Retry-After) and 500 are retried; non-streaming works too', async () => {
  llm.setScript([{ status: 429, retryAfter: '0' }, { status: 500 }, { tool_calls: [{ name: 'write', arguments: { path: 'out.txt', content: 'hello' } }] }, { status: 503 }, { content: 'done' }]);
  llm.requests.length = 0;
  const out = join(tempDir(), 'run');
  const r = await claw(out, tinyTask(tempDir()), ['--no-stream']);
  assert.equal(r.code, 0, failureOf(r, out));
  const [line] = results(out);
  assert.equal(line.reward, 1);
  assert.equal(llm.requests.length, 5);
  assert.ok(llm.requests.every((q) => !q.body.stream));
  const dir = trialDir(out, 'tiny');
  const retries = events(dir).filter((e) => e.type === 'llm_retry');
  assert.deepEqual(retries.map((e) => e.status), [429, 500, 503]);
  const calls = readFileSync(join(dir, 'llm', 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(calls.map((c) => [c.attempt, c.error?.status ?? null]), [[1, 429], [2, 500], [3, null], [1, 503], [2, null]]);
});

test('bad JSON arguments and an unknown tool are fed back to the model and the run goes on', async () => {
  llm.setScript([
    { tool_calls: [{ name: 'write', arguments: '{"path": "out.txt", "content": ' }, { name: 'browse', arguments: { url: 'x' } }] },
    { tool_calls: [{ name: 'read', arguments: { path: 'missing.txt' } }, { name: 'edit', arguments: { path: 'in.txt', oldText: 'nope', newText: 'y' } }] },
    { tool_calls: [{ name: 'write', arguments: { path: 'out.txt', content: 'hello' } }] },
    { content: 'done' },
  ]);
  llm.requests.length = 0;
  const out = join(tempDir(), 'run');
  const r = await claw(out, tinyTask(tempDir()));
  assert.equal(r.code, 0, failureOf(r, out));
  assert.equal(results(out)[0].reward, 1);
  const tools = llm.requests[1]!.body.messages!.filter((m) => m.role === 'tool').map((m) => String(m.content));
  assert.match(tools[0]!, /not valid JSON/);
  assert.match(tools[1]!, /no tool "browse"/);
  const tools2 = llm.requests[2]!.body.messages!.filter((m) => m.role === 'tool').map((m) => String(m.content));
  assert.match(tools2[2]!, /File not found: missing\.txt/);
  assert.match(tools2[3]!, /Could not find the text/);
  const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(trialDir(out, 'tiny'), 'trajectory.json'), 'utf8')));
  const first = t.steps.find((s) => s.source === 'agent')!;
  assert.equal(first.tool_calls![0]!.extra?.raw_arguments, '{"path": "out.txt", "content": ');
});

test('max steps ends the trial cleanly with the reason recorded (run from a git hook, under npm run)', async () => {
  llm.setScript(() => ({ tool_calls: [{ name: 'exec', arguments: { command: 'echo again' } }] }));
  const out = join(tempDir(), 'run');
  // A hook's GIT_DIR / GIT_INDEX_FILE must not reach the snapshot repository.
  // npm run exports EDITOR, which simple-git refuses to run with.
  const hookEnv = { GIT_DIR: join(tempDir(), 'not-ours.git'), GIT_INDEX_FILE: '.git/index', GIT_WORK_TREE: tempDir(), EDITOR: 'vi', PAGER: 'less' };
  const r = await claw(out, tinyTask(tempDir()), ['--max-steps', '3'], hookEnv);
  assert.equal(r.code, 0, failureOf(r, out));
  const [line] = results(out);
  assert.equal(line.error, null);
  assert.equal(line.reward, 0);
  assert.equal(line.agent_exit.end_reason, 'max_steps');
  const t = JSON.parse(readFileSync(join(trialDir(out, 'tiny'), 'trajectory.json'), 'utf8'));
  assert.equal(t.steps.filter((s: { source: string }) => s.source === 'agent').length, 3);
  assert.equal(t.extra.end_reason, 'max_steps');
});

test('the max-tokens budget ends the trial', async () => {
  llm.setScript(() => ({ tool_calls: [{ name: 'exec', arguments: { command: 'true' } }], usage: { prompt_tokens: 400, completion_tokens: 100 } }));
  const out = join(tempDir(), 'run');
  const r = await claw(out, tinyTask(tempDir()), ['--max-tokens', '1200']);
  assert.equal(r.code, 0, failureOf(r, out));
  assert.equal(results(out)[0].agent_exit.end_reason, 'max_tokens');
  assert.equal(llm.requests.length > 0, true);
});

test('the wall timeout ends the trial cleanly: a slow model and a long command', async () => {
  llm.setScript([{ tool_calls: [{ name: 'exec', arguments: { command: 'sleep 30', yieldMs: 60000 } }] }, { delayMs: 30_000, content: 'late' }]);
  const out = join(tempDir(), 'run');
  const t0 = Date.now();
  const r = await claw(out, tinyTask(tempDir(), { timeout_sec: 2 }));
  assert.equal(r.code, 0, failureOf(r, out));
  assert.ok(Date.now() - t0 < 20_000, 'ended at the timeout');
  const [line] = results(out);
  assert.equal(line.error, null);
  assert.equal(line.agent_exit.end_reason, 'timeout');
  assert.equal(line.agent_exit.timed_out, true);
  const t = JSON.parse(readFileSync(join(trialDir(out, 'tiny'), 'trajectory.json'), 'utf8'));
  assert.equal(t.extra.end_reason, 'timeout');
  assert.match(t.steps.find((s: { source: string }) => s.source === 'agent').observation.results[0].content, /timeout|killed/);
});

test('the transcript satisfies a PinchBench grade() that checks a tool call was made', async () => {
  const root = tempDir();
  writeRaw(
    join(root, 'tasks', 'task_write.md'),
    `---
id: task_write
name: Write a greeting
category: files
grading_type: automated
timeout_seconds: 60
workspace_files: []
---

## Prompt

Write hello to greeting.txt.

## Automated Checks

\`\`\`python
def grade(transcript: list, workspace_path: str) -> dict:
    from pathlib import Path
    wrote = any(
        item.get("type") == "toolCall" and item.get("name") == "write"
        for e in transcript if e.get("type") == "message" and e["message"].get("role") == "assistant"
        for item in e["message"].get("content", [])
    )
    results = [e for e in transcript if e.get("type") == "message" and e["message"].get("role") == "toolResult"]
    f = Path(workspace_path) / "greeting.txt"
    return {"used_write_tool": 1.0 if wrote else 0.0, "has_tool_result": 1.0 if results else 0.0,
            "file": 1.0 if f.exists() and f.read_text().strip() == "hello" else 0.0}
\`\`\`
`,
  );
  llm.setScript([{ tool_calls: [{ name: 'write', arguments: { path: 'greeting.txt', content: 'hello\n' } }] }, { content: 'Done.' }]);
  const out = join(tempDir(), 'run');
  const r = await claw(out, join(root, 'tasks', 'task_write.md'));
  assert.equal(r.code, 0, failureOf(r, out));
  const [line] = results(out);
  assert.equal(line.error, null, line.error);
  assert.equal(line.reward, 1);
  const v = JSON.parse(readFileSync(join(trialDir(out, 'task_write'), 'verify.json'), 'utf8'));
  assert.match(JSON.stringify(v.code.checks[0]), /used_write_tool/);
});

test('clawgym run --help lists the claw and replay flags; a missing model is a usage error', async () => {
  const r = await runCli(['run', '--help']);
  for (const flag of ['--model', '--base-url', '--config', '--max-steps', '--max-tokens', '--no-stream', '--trajectory', 'claw', 'replay']) assert.ok(r.stdout.includes(flag), flag);
  const bad = await runCli(['run', TASK, '--agent', 'claw', '--config', configFile, '--out', join(tempDir(), 'x')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no model/);
});
