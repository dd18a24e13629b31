/** The claw agent's tools in the real sandbox: truncation as OpenClaw does it, aliases, background sessions, bootstrap. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { getSandbox } from '../../src/core/sandbox/probe.ts';
import type { SandboxSession } from '../../src/core/sandbox/sandbox.ts';
import { ToolExecutor } from '../../src/core/agents/claw/executor.ts';
import { loadWorkspaceContext } from '../../src/core/agents/claw/bootstrap.ts';
import { systemPrompt } from '../../src/core/agents/claw/prompt.ts';
import { tempDir } from '../helpers.ts';
import { chownTree } from '../../src/core/workspace/copy.ts';

const MOUNT = '/root/.openclaw/workspace';

async function executor(files: Record<string, string> = {}) {
  const sandbox = await getSandbox('bwrap');
  const ws = tempDir();
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(ws, p, '..'), { recursive: true });
    writeFileSync(join(ws, p), c);
  }
  const tmp = tempDir();
  if (sandbox.owner) for (const d of [ws, tmp]) await chownTree(d, sandbox.owner);
  const session = await sandbox.open({ workspace: ws, mount: MOUNT, binds: [{ host: tmp, dest: '/tmp', readOnly: false }] });
  sessions.push(session);
  return { ws, ex: new ToolExecutor({ sandbox: session, mount: MOUNT, deadline: performance.now() + 60_000 }) };
}

// Each test's executor runs in one sandbox open for all its calls, as a trial's does.
const sessions: SandboxSession[] = [];
after(() => Promise.all(sessions.map((s) => s.close())));

test('read truncates at 2,000 lines or 50 KB and says how to continue', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `line ${i + 1}`).join('\n');
  const { ex } = await executor({ 'big.txt': lines, 'wide.txt': 'x'.repeat(100) + '\n' + `${'y'.repeat(1000)}\n`.repeat(100) });
  const r = await ex.call('read', JSON.stringify({ filePath: 'big.txt' }));
  assert.equal(r.isError, false);
  assert.match(r.text, /^line 1\n/);
  assert.match(r.text, /line 2000\n\n\[Showing lines 1-2000 of 3000 .*Use offset=2001 to continue\.\]$/);
  const r2 = await ex.call('read', JSON.stringify({ path: 'big.txt', offset: 2990, limit: 5 }));
  assert.match(r2.text, /^line 2990\n(.|\n)*line 2994\n\n\[Showing lines 2990-2994 of 3000\. Use offset=2995 to continue\.\]$/);
  const r3 = await ex.call('read', JSON.stringify({ file: 'wide.txt' }));
  assert.ok(Buffer.byteLength(r3.text) < 52 * 1024);
  assert.match(r3.text, /Showing lines 1-\d+ of 101 \(output limit/);
  const r4 = await ex.call('read', JSON.stringify({ path: 'big.txt', offset: 5000 }));
  assert.equal(r4.isError, true);
  assert.match(r4.text, /beyond the end/);
});

test('write and edit go through the sandbox: a symlink cannot reach host files', async () => {
  const { ex, ws } = await executor({ 'a.txt': 'one two two' });
  assert.match((await ex.call('write', JSON.stringify({ file_path: 'deep/dir/b.txt', content: 'hi' }))).text, /Successfully wrote 2 bytes/);
  assert.match((await ex.call('edit', JSON.stringify({ path: 'a.txt', oldText: 'two', newText: '2' }))).text, /Found 2 occurrences/);
  assert.match((await ex.call('edit', JSON.stringify({ path: 'a.txt', old_string: 'one', new_string: '1' }))).text, /Successfully replaced/);
  assert.match((await ex.call('read', JSON.stringify({ path: `${MOUNT}/a.txt` }))).text, /^1 two two$/);
  await ex.call('exec', JSON.stringify({ command: 'ln -s /etc/shadow leak' }));
  const leak = await ex.call('read', JSON.stringify({ path: 'leak' }));
  assert.ok(leak.isError, leak.text);
  const missing = await ex.call('write', JSON.stringify({ content: 'x' }));
  assert.match(missing.text, /invalid arguments for write: path/);
  assert.ok(ws);
});

test('exec: output, exit codes, timeouts, /tmp shared between commands, no host execution', async () => {
  const { ex } = await executor();
  const ok = await ex.call('exec', JSON.stringify({ command: 'echo hi; echo err >&2' }));
  assert.equal(ok.isError, false);
  assert.equal(ok.text, 'hi\nerr');
  const bad = await ex.call('exec', JSON.stringify({ command: 'exit 3' }));
  assert.equal(bad.isError, true);
  assert.match(bad.text, /exited with code 3/);
  await ex.call('exec', JSON.stringify({ command: 'echo kept > /tmp/x' }));
  assert.equal((await ex.call('exec', JSON.stringify({ command: 'cat /tmp/x' }))).text, 'kept');
  const slow = await ex.call('exec', JSON.stringify({ command: 'sleep 5', timeout: 1, yieldMs: 10000 }));
  assert.match(slow.text, /killed after its 1 s timeout/);
  assert.match((await ex.call('exec', JSON.stringify({ command: 'id', elevated: true }))).text, /only inside this task's sandbox/);
  const long = await ex.call('exec', JSON.stringify({ command: `seq 1 5000` }));
  assert.match(long.text, /^\[Output truncated: the last 2000 of 5000 lines\]\n3001\n/);
  await ex.close();
});

test('process: background sessions can be listed, polled, fed, and killed', async () => {
  const { ex } = await executor();
  const started = await ex.call('exec', JSON.stringify({ command: 'while read l; do echo "got $l"; done; echo bye', background: true }));
  const id = /session ([0-9a-f]{8})/.exec(started.text)![1]!;
  assert.match((await ex.call('process', JSON.stringify({ action: 'list' }))).text, new RegExp(`${id}  still running`));
  await ex.call('process', JSON.stringify({ action: 'write', sessionId: id, data: 'a\n' }));
  await ex.call('process', JSON.stringify({ action: 'submit', sessionId: id, data: 'b' }));
  const p1 = await ex.call('process', JSON.stringify({ action: 'poll', sessionId: id, timeout: 5000 }));
  assert.match(p1.text, /got a/);
  await ex.call('process', JSON.stringify({ action: 'send-keys', sessionId: id, literal: 'c' }));
  await ex.call('process', JSON.stringify({ action: 'send-keys', sessionId: id, keys: ['Enter'], eof: true }));
  let log = '';
  for (let i = 0; i < 50 && !/exited/.test(log); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = (await ex.call('process', JSON.stringify({ action: 'log', sessionId: id }))).text;
  }
  assert.match(log, /got a\ngot b\ngot c\nbye\n\n\(Process exited with code 0\)/);
  const yielded = await ex.call('exec', JSON.stringify({ command: 'echo start; sleep 30', yieldMs: 300 }));
  const id2 = /session ([0-9a-f]{8})/.exec(yielded.text)![1]!;
  assert.match(yielded.text, /start\n\n\(Command still running after 300 ms/);
  assert.match((await ex.call('process', JSON.stringify({ action: 'kill', sessionId: id2 }))).text, /killed/);
  assert.match((await ex.call('process', JSON.stringify({ action: 'poll', sessionId: id2 }))).text, /No session/);
  assert.match((await ex.call('process', JSON.stringify({ action: 'dance', sessionId: id2 }))).text, /Unknown action/);
  await ex.close();
});

test('the system prompt carries the bootstrap files and the skills list', async () => {
  const { ws } = await executor({
    'AGENTS.md': '# House rules\nAlways answer in haiku.',
    'SOUL.md': 'Be kind.',
    'skills/pdf-tools/SKILL.md': '---\nname: pdf-tools\ndescription: Split and merge PDF files.\n---\nUse qpdf.',
    'skills/nofm/SKILL.md': 'no front matter',
  });
  const p = systemPrompt(await loadWorkspaceContext(ws, MOUNT), MOUNT);
  assert.match(p, /## AGENTS\.md\n\n# House rules\nAlways answer in haiku\./);
  assert.match(p, /## SOUL\.md\n\nBe kind\./);
  assert.ok(!p.includes('USER.md'));
  assert.match(p, /<name>pdf-tools<\/name>\n\s*<description>Split and merge PDF files\.<\/description>\n\s*<location>\/root\/\.openclaw\/workspace\/skills\/pdf-tools\/SKILL\.md<\/location>/);
  assert.match(p, /<name>nofm<\/name>/);
});
