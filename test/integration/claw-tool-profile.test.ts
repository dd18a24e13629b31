/**
 * The claw agent with `--tools openclaw-2026.9.6`: the model is offered OpenClaw 2026.9.6's tool
 * names and parameters (edit with edits[], apply_patch, ls …), the calls run in the real bwrap
 * sandbox, run.json names the profile, the trajectory too, and `export sft` names it on each line.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli, tempDir, writeTask } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';

const llm = new MockLlm();
let root = '';
let out = '';
before(async () => {
  await llm.start();
  root = tempDir();
  writeFileSync(join(root, 'config.json'), JSON.stringify({ api_key: 'sk-clawgym-profile-0123456789abcdef' }));
});
after(() => llm.stop());

const PATCH = `*** Begin Patch
*** Update File: app.py
@@ def greet(name):
-    return "hello " + name
+    return f"Hello, {name}!"
*** Add File: notes/CHANGES.md
+greet() says Hello now.
*** Delete File: old.txt
*** End Patch`;

test('claw --tools openclaw-2026.9.6: ls, edit(edits[]), apply_patch run in the sandbox; the profile is in run.json, the trajectory and the SFT metadata', async () => {
  llm.setScript([
    { content: 'Looking around.', tool_calls: [{ id: 'c_ls', name: 'ls', arguments: {} }] },
    { tool_calls: [{ id: 'c_edit', name: 'edit', arguments: { path: 'config.ini', edits: [{ oldText: 'debug = true', newText: 'debug = false' }, { oldText: 'port = 80', newText: 'port = 8080' }] } }] },
    { tool_calls: [{ id: 'c_patch', name: 'apply_patch', arguments: { input: PATCH } }] },
    // An edit that does not apply comes back as an error the model can fix.
    { tool_calls: [{ id: 'c_bad', name: 'edit', arguments: { path: 'config.ini', edits: [{ oldText: 'missing', newText: 'x' }] } }] },
    { content: 'Done.' },
  ]);
  llm.requests.length = 0;
  const task = writeTask(
    root,
    {
      id: 'profile-task',
      instruction: 'Turn debug off, move to port 8080, make greet() polite, log it in notes/CHANGES.md and remove old.txt.',
      verify: {
        checks: [
          { id: 'ini', type: 'text_equals', path: 'config.ini', text: '[server]\nport = 8080\ndebug = false' },
          { id: 'greet', type: 'text_contains', path: 'app.py', text: 'return f"Hello, {name}!"' },
          { id: 'changes', type: 'text_equals', path: 'notes/CHANGES.md', text: 'greet() says Hello now.' },
          { id: 'gone', type: 'file_absent', path: 'old.txt' },
        ],
      },
    },
    { 'workspace/config.ini': '[server]\nport = 80\ndebug = true\n', 'workspace/app.py': 'def greet(name):\n    return "hello " + name\n', 'workspace/old.txt': 'x\n' },
  );
  out = join(root, 'run');
  const r = await runCli(['run', task, '--agent', 'claw', '--tools', 'openclaw-2026.9.6', '--model', 'mock-model', '--base-url', llm.url, '--config', join(root, 'config.json'), '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const line = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  const trial = join(out, 'trials', 'profile-task', '1');
  assert.equal(line.reward, 1, readFileSync(join(trial, 'verify.json'), 'utf8'));

  // The model was offered OpenClaw 2026.9.6's tools, with its parameter names.
  const tools = (llm.requests[0]!.body.tools as Array<{ function: { name: string; parameters: { properties: Record<string, unknown>; required?: string[] } } }>).map((t) => t.function);
  assert.deepEqual(tools.map((t) => t.name).sort(), ['apply_patch', 'edit', 'exec', 'ls', 'process', 'read', 'write']);
  const edit = tools.find((t) => t.name === 'edit')!;
  assert.deepEqual(Object.keys(edit.parameters.properties).sort(), ['edits', 'path']);
  assert.deepEqual(Object.keys(tools.find((t) => t.name === 'apply_patch')!.parameters.properties), ['input']);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).agent.tools, 'openclaw-2026.9.6');

  // What the tools answered.
  const msgs = llm.requests.at(-1)!.body.messages as Array<{ role: string; tool_call_id?: string; content: string }>;
  const result = (id: string) => msgs.find((m) => m.role === 'tool' && m.tool_call_id === id)!.content;
  assert.equal(result('c_ls'), 'app.py\nconfig.ini\nold.txt');
  assert.equal(result('c_edit'), 'Successfully made 2 replacements in config.ini.');
  assert.match(result('c_patch'), /^Success\. Updated the following files:\nM app\.py\nA notes\/CHANGES\.md\nD old\.txt$/);
  assert.match(result('c_bad'), /Could not find the text to replace in config\.ini\. oldText must match exactly/);

  const t = JSON.parse(readFileSync(join(trial, 'trajectory.json'), 'utf8'));
  assert.equal(t.extra.tool_profile, 'openclaw-2026.9.6');
});

test('export sft names each example\'s tool profile', async () => {
  for (const format of ['openai', 'trl', 'sharegpt']) {
    const file = join(tempDir(), 'sft.jsonl');
    const r = await runCli(['export', 'sft', out, '--format', format, '--out', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0].metadata, { tool_profile: 'openclaw-2026.9.6', agent: 'clawgym-claw' });
    assert.deepEqual(JSON.parse(r.stdout).tool_profiles, { 'openclaw-2026.9.6': 1 });
  }
});

test('--tools is a claw setting: another agent, or an unknown profile, is a usage error', async () => {
  const a = await runCli(['run', tempDir(), '--agent', 'nop', '--tools', 'openclaw-2026.9.6']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /--tools picks the claw agent's tool profile/);
  const b = await runCli(['run', tempDir(), '--agent', 'claw', '--tools', 'everything']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--tools/);
});
