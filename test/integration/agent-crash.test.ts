/**
 * A command agent that does its work and then dies (exit 133, as OpenClaw's Node does out of
 * memory): the trial keeps the verifier's reward, and results.jsonl, `clawgym report` and
 * report.html flag the crash.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeTask } from '../helpers.ts';

test('a crashed agent is flagged in results.jsonl, the terminal report and report.html; the reward stays the verifier\'s', async () => {
  const root = tempDir();
  const task = writeTask(root, { id: 'dies-after', instruction: 'Write done.txt.', verify: { checks: [{ id: 'done', type: 'file_exists', path: 'done.txt' }] } });
  const out = join(root, 'run');
  const r = await runCli(['run', task, '--agent', 'command', '--command', 'echo ok > done.txt; exit 133', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const line = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  assert.equal(line.reward, 1);
  assert.equal(line.agent_exit.code, 133);
  assert.match(line.agent_crash, /^exit 133 \(SIGTRAP/);
  const rep = await runCli(['report', out]);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /1 agent crash/);
  assert.match(rep.stdout, /dies-after #1 +reward 1\.000 +exit 133/);
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /Agent crashed \(1\)/);

  const clean = join(root, 'clean');
  assert.equal((await runCli(['run', task, '--agent', 'command', '--command', 'echo ok > done.txt', '--out', clean, '--json'])).code, 0);
  assert.equal(JSON.parse(readFileSync(join(clean, 'results.jsonl'), 'utf8').trim()).agent_crash, null);
});
