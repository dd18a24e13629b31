/**
 * The real OpenClaw (installed by `clawgym setup openclaw`, from npm) in bwrap against the tests'
 * scripted Chat Completions server, through the recording proxy: a bundled task and a PinchBench
 * task, 4 attempts each, all 8 trials at once; then a trial killed at its timeout, a config
 * OpenClaw rejects and an unreachable model, also at once. OpenClaw's start-up dominates (15–21 s
 * a turn on an idle core), so trials run concurrently.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { setupOpenclaw } from '../../src/core/agents/openclaw/install.ts';
import { cgroupSupport } from '../../src/core/sandbox/cgroup.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';
import { MockLlm, type RecordedRequest } from '../mock-llm.ts';
import { EXAMPLES, runCli, tempDir, writeRaw, writeTask } from '../helpers.ts';

const SENTINEL = `sk-openclaw-sentinel-${process.pid}-do-not-leak`;
const TASK = join(EXAMPLES, 'notes-todo-rollup');
const root = tempDir('clawgym-openclaw-');
let llm: MockLlm;
let expectedTodo = '';

/** The bundled task's exact expected file, from its own text_equals check. */
function expectedFile(): string {
  const yaml = readFileSync(join(TASK, 'task.yaml'), 'utf8');
  const m = yaml.match(/type: text_equals\n\s+path: TODO\.md\n\s+text: \|\n((?:\s{8}.*\n|\n)+)/);
  assert.ok(m, 'the example task keeps its exact-file check');
  return m[1]!.replace(/^ {8}/gm, '').replace(/\n+$/, '\n');
}

/** Script: the first request of a conversation writes the file its prompt asks for; after a tool result, a final answer. */
function script(req: RecordedRequest) {
  const msgs = req.body.messages ?? [];
  if (msgs.some((m) => m.role === 'tool')) return { content: 'FINAL-ANSWER: the file is written.' };
  const text = JSON.stringify(msgs);
  if (text.includes('TODO.md')) return { tool_calls: [{ name: 'write', arguments: { path: 'TODO.md', content: expectedTodo } }] };
  return { tool_calls: [{ name: 'write', arguments: { path: 'greeting.txt', content: 'hello\n' } }] };
}

before(async () => {
  // CI installs OpenClaw here (idempotent; ~1 GB from npm once, then offline).
  await setupOpenclaw();
  expectedTodo = expectedFile();
  llm = await new MockLlm(script).start();
});
after(async () => {
  await llm?.stop();
});

const PINCH = `---
id: task_greeting
name: Write a greeting
category: files
grading_type: automated
timeout_seconds: 90
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
    f = Path(workspace_path) / "greeting.txt"
    return {"used_write_tool": 1.0 if wrote else 0.0, "file": 1.0 if f.exists() and f.read_text().strip() == "hello" else 0.0}
\`\`\`
`;

function run(args: string[], out: string) {
  return runCli(['run', '--agent', 'openclaw', '--model', 'mock-model', '--base-url', llm.url, '--harness-retries', '0', '--timeout-multiplier', '10', '-o', out, '--json', ...args], { env: { OPENAI_API_KEY: SENTINEL } });
}

function resultLines(out: string) {
  return readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Processes (any uid) whose environment names this task: what a trial of it started. */
function processesOfTask(taskId: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`CLAWGYM_TASK_ID=${taskId}`)) out.push(Number(pid));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/** Sandbox cgroups left by a ClawGym process that has ended (a leak: each is removed with its sandbox). */
function leakedCgroups(): string[] {
  const cg = cgroupSupport();
  const out: string[] = [];
  for (const base of [cg.memory, cg.pids]) {
    if (!base || !existsSync(base.dir)) continue;
    for (const n of readdirSync(base.dir)) {
      const pid = Number(n.match(/^sb-(\d+)-/)?.[1]);
      if (pid && !existsSync(`/proc/${pid}`)) out.push(join(base.dir, n));
    }
  }
  return out;
}

test('8 OpenClaw trials at once (a bundled task and a PinchBench task, 4 attempts each): rewards, trajectories, session exports, SFT data, no key on disk', { timeout: 900_000 }, async () => {
  writeRaw(join(root, 'pinch', 'task_greeting.md'), PINCH);
  const outA = join(root, 'run-bundled');
  const outB = join(root, 'run-pinch');
  const [a, b] = await Promise.all([run([TASK, '--attempts', '4', '-c', '4'], outA), run([join(root, 'pinch'), '--attempts', '4', '-c', '4'], outB)]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  for (const out of [outA, outB]) {
    const lines = resultLines(out);
    assert.equal(lines.length, 4);
    for (const l of lines) {
      assert.equal(l.error, null, l.error);
      assert.equal(l.reward, 1, JSON.stringify(l));
      assert.equal(l.agent_exit.code, 0);
      assert.equal(l.agent, 'openclaw');
      assert.equal(l.agent_version, '2026.9.6');
      const dir = join(out, l.trial_dir);
      const t = AtifTrajectory.parse(JSON.parse(readFileSync(join(dir, 'trajectory.json'), 'utf8')));
      assert.ok(t.steps.some((s) => s.source === 'agent' && /FINAL-ANSWER/.test(String(s.message ?? ''))), 'the final answer is kept');
      assert.ok(readFileSync(join(dir, 'llm', 'calls.jsonl'), 'utf8').trim().split('\n').length >= 2);
      // OpenClaw's own session, exported into the trial folder.
      assert.ok(existsSync(join(dir, 'openclaw-session', 'manifest.json')), `session export in ${dir}`);
      // Without skipBootstrap OpenClaw would write these into the graded workspace.
      for (const f of ['AGENTS.md', 'SOUL.md', 'BOOTSTRAP.md', '.git']) assert.equal(existsSync(join(dir, 'workspace', f)), false, f);
    }
    const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    assert.equal(manifest.versions.openclaw, '2026.9.6');
    // The key never reaches any file of the run (the config in the sandbox holds the proxy's placeholder).
    for (const f of filesUnder(out)) if (statSync(f).size < 50e6) assert.ok(!readFileSync(f, 'utf8').includes(SENTINEL), `the key is in ${f}`);
  }
  // The PinchBench grade() saw the write tool call in the transcript.
  for (const l of resultLines(outB)) {
    const v = JSON.parse(readFileSync(join(outB, l.trial_dir, 'verify.json'), 'utf8'));
    assert.equal(v.reward, 1, JSON.stringify(v.code));
  }
  for (const format of ['openai', 'trl', 'sharegpt']) {
    const file = join(root, `sft-${format}.jsonl`);
    const r = await runCli(['export', 'sft', outA, '--format', format, '--out', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(rows.length, 4, format);
    for (const row of rows) assert.match(row, /write/, `${format}: the example keeps the tool call`);
    assert.ok(!readFileSync(file, 'utf8').includes(SENTINEL));
  }
});

test('a trial killed at its timeout leaves nothing behind; a rejected config and an unreachable model are errors with their kind', { timeout: 900_000 }, async () => {
  const tasks = join(root, 'tasks');
  const slowId = `slow-${process.pid}`;
  writeTask(tasks, { id: slowId, instruction: 'Write hello to greeting.txt.', timeout_sec: 4, verify: { checks: [{ type: 'file_exists', path: 'greeting.txt' }] } });
  writeTask(tasks, { id: 'dead', instruction: 'Write hello to greeting.txt.', timeout_sec: 240, verify: { checks: [{ type: 'file_exists', path: 'greeting.txt' }] } });
  const opts = { env: { OPENAI_API_KEY: SENTINEL } };
  const [slow, bad, dead] = await Promise.all([
    runCli(['run', '--agent', 'openclaw', '--model', 'mock-model', '--base-url', llm.url, '--harness-retries', '0', '-o', join(root, 'run-slow'), '--json', join(tasks, slowId)], opts),
    run([join(root, 'pinch'), '--openclaw-config', '{"agents":{"defaults":{"bogusField":1}}}'], join(root, 'run-bad')),
    runCli(['run', '--agent', 'openclaw', '--model', 'mock-model', '--base-url', 'http://127.0.0.1:9/v1', '--harness-retries', '0', '-o', join(root, 'run-dead'), '--json', join(tasks, 'dead')], opts),
  ]);
  const [s] = resultLines(join(root, 'run-slow'));
  assert.equal(s.agent_exit.timed_out, true, JSON.stringify(s) + slow.stderr);
  // Nothing of the killed trial is left: no process, no cgroup.
  assert.deepEqual(processesOfTask(slowId), []);
  assert.deepEqual(leakedCgroups(), []);

  const [b] = resultLines(join(root, 'run-bad'));
  assert.equal(b.error_kind, 'usage', bad.stdout);
  assert.match(b.error, /OpenClaw rejected its config.*bogusField/);

  const [d] = resultLines(join(root, 'run-dead'));
  assert.equal(d.error_kind, 'harness', dead.stdout);
  assert.match(d.error, /OpenClaw never reached the model/);
});
