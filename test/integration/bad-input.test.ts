/**
 * Bad input gets a clear error naming the file (and line:column where there is one), and the rest
 * of the run goes on.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, tempDir, writeRaw, writeTask } from '../helpers.ts';

function clawgymTask(root: string, id: string, rewardSh?: string): string {
  const dir = join(root, id);
  mkdirSync(join(dir, 'input_files'), { recursive: true });
  writeFileSync(join(dir, 'input_files', 'a.txt'), 'a\n');
  writeFileSync(join(dir, 'data_entry.json'), JSON.stringify({ task_id: id, user_query: 'Do it.', input_mount_dir: '/root/.openclaw/workspace', metadata: { category: '' } }, null, 2));
  if (rewardSh !== undefined) writeRaw(join(dir, 'reward', 'reward.sh'), rewardSh);
  else mkdirSync(join(dir, 'reward'), { recursive: true });
  return dir;
}

test('malformed tasks and broken verifiers are reported with their files; the run goes on', async () => {
  const tmp = tempDir();
  const root = join(tmp, 'tasks');
  writeTask(root, { id: 'good', verify: { checks: [{ type: 'file_exists', path: 'in.txt' }] } }, { 'workspace/in.txt': 'x' });
  writeRaw(join(root, 'bad-yaml', 'task.yaml'), 'id: bad-yaml\ntitle: [unclosed\ninstruction: x\n');
  writeRaw(join(root, 'bad-schema', 'task.yaml'), 'id: bad-schema\ntitle: t\ninstruction: x\ndifficulty: 9\n');
  clawgymTask(root, 'no-reward');
  clawgymTask(root, 'crashing', '#!/bin/bash\necho boom >&2\nexit 3\n');
  clawgymTask(root, 'garbage', '#!/bin/bash\necho "the reward is banana"\n');
  writeRaw(
    join(tmp, 'pb', 'tasks', 'no_grade.md'),
    '---\nid: no_grade\nname: No grade\ncategory: test\ngrading_type: automated\ntimeout_seconds: 60\nworkspace_files: []\n---\n\n## Prompt\n\nDo it.\n\n## Automated Checks\n\n```python\ndef not_grade(t, w):\n    return {}\n```\n',
  );

  const out = join(tmp, 'run');
  const r = await runCli(['run', root, join(tmp, 'pb', 'tasks', 'no_grade.md'), '--agent', 'nop', '--out', out, '--no-progress']);
  assert.equal(r.code, 3, `exit code 3 = task errors\n${r.stderr}`);
  const err = r.stderr;
  assert.match(err, new RegExp(`${join(root, 'bad-yaml', 'task.yaml')}:[23]:\\d+: YAML syntax error`));
  assert.match(err, new RegExp(`${join(root, 'bad-schema', 'task.yaml')}:4:13: difficulty: `));
  assert.match(err, new RegExp(`${join(root, 'no-reward', 'reward', 'reward.sh')}: missing`));
  assert.match(err, /no_grade\.md:\d+:\d+: .*grade/);

  const results = Object.fromEntries(readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).map((x) => [x.task_id, x]));
  assert.deepEqual(Object.keys(results).sort(), ['crashing', 'garbage', 'good']);
  assert.equal(results.good.reward, 1);
  assert.equal(results.good.error, null);
  assert.equal(results.crashing.error_kind, 'verifier');
  assert.match(results.crashing.error, /reward\/reward\.sh: exited 3: boom/);
  assert.equal(results.garbage.error_kind, 'verifier');
  assert.match(results.garbage.error, /reward\/reward\.sh: last stdout line is not a number: "the reward is banana"/);
});

test('a checker that needs an interpreter the sandbox lacks is a harness error, not a score', async () => {
  const tmp = tempDir();
  clawgymTask(tmp, 'needs-tool', '#!/bin/bash\nset -e\nclawgym-no-such-interpreter -e 1\necho 1.0\n');
  const out = join(tmp, 'run');
  const r = await runCli(['run', tmp, '--agent', 'nop', '--out', out, '--no-progress', '--harness-retries', '1']);
  assert.equal(r.code, 4, r.stderr);
  const res = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  assert.equal(res.error_kind, 'harness');
  assert.equal(res.harness_retries, 1);
  assert.match(res.error, /the sandbox has no "clawgym-no-such-interpreter"/);
});

test('an oracle whose solve.sh is a symlink out of the task folder is a task error, not a score', async () => {
  const task = writeTask(tempDir(), { id: 'escaping-oracle', verify: { checks: [{ id: 'a', type: 'file_exists', path: 'x' }] } });
  mkdirSync(join(task, 'solution'), { recursive: true });
  symlinkSync('/etc/hostname', join(task, 'solution', 'solve.sh'));
  const out = join(tempDir(), 'run');
  const r = await runCli(['run', task, '--agent', 'oracle', '--out', out, '--json']);
  assert.equal(r.code, 3, r.stderr);
  const line = JSON.parse(readFileSync(join(out, 'results.jsonl'), 'utf8').trim());
  assert.equal(line.error_kind, 'task');
  assert.match(line.error, /solution\/solve\.sh is not a regular file inside the task folder/);
  assert.equal(line.harness_retries, 0);
});
