/**
 * exportHarborTask: the folder layout, and the generated tests/clawgym_checks.py run with python3
 * against real workspaces: the right one scores 1, a wrong one less, and every declarative check
 * scores exactly what ClawGym's own (TypeScript) evaluator gives.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { evaluateDeclarative, isDeclarative, type DeclarativeContext } from '../../src/core/verify/declarative.js';
import { WorkspaceReader } from '../../src/core/verify/files.js';
import { listFileSet } from '../../src/core/task/fileset.js';
import { CLAWGYM_CHECKS_PY } from '../../src/core/task/harbor-checks.js';
import { exportHarborTask } from '../../src/core/task/harbor-export.js';
import { loadOneTask, loadTasks } from '../../src/core/task/load.js';
import { checkIds } from '../../src/core/task/schema.js';
import type { Task } from '../../src/core/task/task.js';
import { ROOT, tempDir, writeTask } from '../helpers.js';

const FX = join(ROOT, 'test', 'fixtures', 'formats');
const HAS_PYYAML = spawnSync('python3', ['-c', 'import yaml']).status === 0;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, encoding: 'utf8' });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/**
 * Run the exported checks against `ws`; returns the reward (reward.json's "reward", which Harbor
 * reads first, and which reward.txt repeats exactly) and the per-check scores beside it.
 */
function runChecks(out: string, ws: string): { reward: number; scores: Record<string, number> } {
  const logs = join(tempDir('clawgym-logs-'), 'verifier');
  run('python3', [join(out, 'tests', 'clawgym_checks.py'), '--workspace', ws, '--logs', logs]);
  return rewardFiles(logs);
}

function rewardFiles(logs: string): { reward: number; scores: Record<string, number> } {
  const { reward, ...scores } = JSON.parse(readFileSync(join(logs, 'reward.json'), 'utf8')) as Record<string, number>;
  assert.equal(typeof reward, 'number', 'reward.json has the "reward" key');
  assert.equal(Number(readFileSync(join(logs, 'reward.txt'), 'utf8')), reward, 'reward.txt says the same');
  return { reward: reward!, scores };
}

/** Fresh copy of the exported starting workspace. */
function startingWorkspace(out: string): string {
  const ws = join(tempDir('clawgym-ws-'), 'ws');
  cpSync(join(out, 'environment', 'workspace'), ws, { recursive: true });
  return ws;
}

/** What ClawGym's own evaluator gives each declarative check on the same workspace. */
async function tsScores(task: Task, ws: string): Promise<Record<string, number>> {
  const original = new Map<string, () => Promise<Buffer>>();
  for (const set of task.workspace) {
    for (const f of await listFileSet(set)) original.set(f.path, async () => (f.content !== undefined ? Buffer.from(f.content) : readFileSync(f.from!)));
  }
  const ctx: DeclarativeContext = { ws: new WorkspaceReader(ws), original: async () => original, transcript: async () => [], hiddenDirs: new Set() };
  const ids = checkIds(task.spec.verify.checks);
  const out: Record<string, number> = {};
  for (const [i, c] of task.spec.verify.checks.entries()) {
    if (isDeclarative(c) && c.type !== 'tool_used' && c.type !== 'turn_count') out[ids[i]!] = (await evaluateDeclarative(c, ctx)).score;
  }
  return out;
}

/** smol-toml builds null-prototype objects; compare plain ones. */
function readToml(file: string): Record<string, Record<string, unknown>> {
  return JSON.parse(JSON.stringify(parseToml(readFileSync(file, 'utf8')))) as Record<string, Record<string, unknown>>;
}

function pick(scores: Record<string, number>, ids: string[]): Record<string, number> {
  return Object.fromEntries(ids.map((id) => [id, scores[id]!]));
}

test('harbor export: layout of task.toml, Dockerfile, workspace, solution and tests', async () => {
  const task = await loadOneTask(join(FX, 'native', 'export-demo'));
  const out = join(tempDir('clawgym-hx-'), 'export-demo');
  await exportHarborTask(task, out);
  const toml = readToml(join(out, 'task.toml'));
  assert.deepEqual(toml.metadata, {
    category: 'files',
    difficulty: 'easy',
    tags: ['demo'],
    clawgym_notes: [
      "the LLM-judge rubric is not exported (Harbor's test.sh has no judge): the reward is the code checks' score",
      'transcript checks skipped (Harbor keeps no OpenClaw transcript): wrote',
    ],
  });
  assert.equal(toml.agent!.timeout_sec, 300);
  assert.ok(Number(toml.verifier!.timeout_sec) >= 60);
  assert.deepEqual(toml.environment, { allow_internet: false, network_mode: 'no-network' }, 'no network, like the sandbox');
  assert.equal(readFileSync(join(out, 'instruction.md'), 'utf8'), task.spec.instruction);
  const dockerfile = readFileSync(join(out, 'environment', 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM debian:bookworm-slim$/m);
  assert.match(dockerfile, /^RUN apt-get update && .*apt-get install -y --no-install-recommends bash python3 python-is-python3 ruby git python3-yaml && rm -rf/m);
  assert.match(dockerfile, /^ENV LANG="C.UTF-8" LC_ALL="C.UTF-8" PYTHONDONTWRITEBYTECODE="1" WORKSPACE="\/root\/.openclaw\/workspace"$/m);
  assert.match(dockerfile, /^WORKDIR \/root\/.openclaw\/workspace\nCOPY workspace\/ \/root\/.openclaw\/workspace\/\n$/m);
  // Imported back, the generated image is what the sandbox has: no warning for its RUN or ENV.
  const back = await loadOneTask(out);
  assert.deepEqual(back.warnings, []);
  assert.equal(back.spec.mount, task.spec.mount);
  assert.equal(readFileSync(join(out, 'environment', 'workspace', 'keep.txt'), 'utf8'), 'do not touch\n');
  assert.equal(statSync(join(out, 'environment', 'workspace', 'run.sh')).mode & 0o111, 0o111);
  assert.equal(statSync(join(out, 'solution', 'solve.sh')).mode & 0o111, 0o111);
  assert.equal(statSync(join(out, 'tests', 'test.sh')).mode & 0o111, 0o111);
  const testSh = readFileSync(join(out, 'tests', 'test.sh'), 'utf8');
  assert.match(testSh, /# skipped: tool_used check "wrote"/);
  assert.match(testSh, /# not exported: the LLM-judge rubric/);
  const checks = JSON.parse(readFileSync(join(out, 'tests', 'checks.json'), 'utf8'));
  assert.deepEqual(checks.original_files, ['keep.txt', 'notes.txt', 'old.log', 'run.sh']);
  assert.equal(checks.checks.find((c: { id: string }) => c.id === 'keep').sha256.length, 64);
  assert.equal(checks.checks.some((c: { id: string }) => c.id === 'wrote'), false);
});

test('harbor export: the generated checks score a correct workspace 1 and a wrong one less, like ClawGym does', async () => {
  const task = await loadOneTask(join(FX, 'native', 'export-demo'));
  const out = join(tempDir('clawgym-hx-'), 'export-demo');
  await exportHarborTask(task, out);
  const declarative = Object.keys(await tsScores(task, startingWorkspace(out))).filter((id) => HAS_PYYAML || id !== 'port');

  // Correct: the oracle's outputs.
  const good = startingWorkspace(out);
  run('bash', [join(out, 'solution', 'solve.sh')], { cwd: good });
  const g = runChecks(out, good);
  if (HAS_PYYAML) {
    assert.equal(g.reward, 1, JSON.stringify(g.scores));
    assert.ok(Object.values(g.scores).every((s) => s === 1), JSON.stringify(g.scores));
  } else assert.equal(g.scores.port, 0);
  assert.equal('wrote' in g.scores, false, 'transcript checks are skipped, not scored');
  assert.deepEqual(pick(g.scores, declarative), pick(await tsScores(task, good), declarative));

  // Wrong in many small ways: every check type has something to catch.
  const bad = startingWorkspace(out);
  writeFileSync(join(bad, 'keep.txt'), 'touched\n');
  writeFileSync(join(bad, 'report.md'), 'Report\nTOTAL: 3\nERROR\n');
  writeFileSync(join(bad, 'status.txt'), 'done\nmore\n');
  writeFileSync(join(bad, 'result.json'), '{"totals": {"count": "3"}, "items": [{"name": "a"}], "ratio": 0.5, "tags": ["y"], "flag": 1, "missing": null}');
  writeFileSync(join(bad, 'config.yaml'), 'server:\n  port: "8080"\n');
  writeFileSync(join(bad, 'out.csv'), 'name,qty\nb,5\na,7\n');
  writeFileSync(join(bad, 'junk.tmp'), '');
  const b = runChecks(out, bad);
  assert.ok(b.reward < 1 && b.reward > 0, String(b.reward));
  const ts = await tsScores(task, bad);
  assert.deepEqual(pick(b.scores, declarative), pick(ts, declarative));
  assert.equal(b.scores.contains, 0.5, 'text_contains gives partial credit');
  assert.equal(b.scores.table, 0.6, 'csv: three of five assertions hold (columns and both cells)');
  assert.equal(b.scores.shell, 1, 'report.md exists, so the command check passes');
  for (const id of ['report', 'shell', 'heading', 'contains', 'table']) delete ts[id];
  assert.ok(Object.values(pick(b.scores, Object.keys(ts).filter((id) => declarative.includes(id)))).every((s) => s === 0));
  // Weighted mean: shell has weight 2; 18 scored checks, total weight 19.
  const expected = (1 + 0.5 + 0.6 + 2 * 1) / 19; // report, contains, table, shell (weight 2)
  assert.ok(Math.abs(b.reward - expected) < 1e-12, `${b.reward} vs ${expected}`);
});

test('harbor export: test.sh places the hidden SynData checker and runs it (reward.txt + reward.json)', async () => {
  const [row] = (await loadTasks([join(FX, 'syndata', 'rows.jsonl')])).tasks;
  const out = join(tempDir('clawgym-hx-'), row!.spec.id);
  await exportHarborTask(row!, out);
  assert.ok(existsSync(join(out, 'tests', 'hidden', 'test.py')));
  assert.equal(existsSync(join(out, 'environment', 'workspace', 'reward')), false, 'the checker is not in the workspace');
  for (const [sum, want] of [['6\n', 1], ['7\n', 0]] as const) {
    const ws = startingWorkspace(out);
    writeFileSync(join(ws, 'sum.txt'), sum);
    const logs = join(tempDir('clawgym-logs-'), 'verifier');
    run('bash', [join(out, 'tests', 'test.sh')], { env: { CLAWGYM_WORKSPACE: ws, CLAWGYM_LOGS: logs } });
    assert.deepEqual(rewardFiles(logs), { reward: want, scores: { hook: want } });
    assert.ok(existsSync(join(ws, 'reward', 'expected.json')), 'hidden files copied to <ws>/reward');
  }
});

test('harbor export: a PinchBench grade() runs in the exported checks', async () => {
  const task = await loadOneTask(join(FX, 'pinchbench', 'tasks', 'task_01_notes.md'));
  const out = join(tempDir('clawgym-hx-'), task.spec.id);
  await exportHarborTask(task, out);
  const ws = startingWorkspace(out);
  assert.equal(runChecks(out, ws).reward, 0);
  run('bash', [join(out, 'solution', 'solve.sh')], { cwd: ws });
  assert.deepEqual(runChecks(out, ws), { reward: 1, scores: { grade: 1 } });
  writeFileSync(join(ws, 'count.txt'), '4\n');
  assert.equal(runChecks(out, ws).reward, 0.5);
});

test('harbor export of a Harbor task keeps its environment, tests and task.toml', async () => {
  const src = join(FX, 'harbor', 'csv-summary');
  const task = await loadOneTask(src);
  const out = join(tempDir('clawgym-hx-'), task.spec.id);
  await exportHarborTask(task, out);
  for (const f of ['environment/Dockerfile', 'environment/data/orders.csv', 'tests/test.sh', 'solution/solve.sh']) {
    assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(src, f), 'utf8'), f);
  }
  assert.equal(existsSync(join(out, 'tests', 'clawgym_checks.py')), false);
  const toml = readToml(join(out, 'task.toml'));
  assert.equal(toml.metadata!.author_name, 'ClawGym fixtures');
  assert.equal(toml.metadata!.difficulty, 'medium');
  assert.equal(toml.verifier!.timeout_sec, 120);
  assert.equal(toml.agent!.timeout_sec, 900);
  assert.deepEqual(toml.environment, { build_timeout_sec: 600, cpus: 1, memory_mb: 2048 });
  const again = await loadOneTask(out);
  assert.equal(again.spec.instruction, task.spec.instruction);
  assert.deepEqual(again.spec.verify, task.spec.verify);
  assert.deepEqual(again.warnings, task.warnings);
});

test('harbor export: yaml_path reads YAML 1.2 as ClawGym does, not PyYAML\'s YAML 1.1 (11:00, yes, 0755, dates, merge keys)', { skip: !HAS_PYYAML && 'needs PyYAML' }, async () => {
  const q = (id: string, query: string, rest: Record<string, unknown>, path = 'c.yaml') => ({ id, type: 'yaml_path', path, query, ...rest });
  const dir = writeTask(
    tempDir('clawgym-hx-src-'),
    {
      id: 'yaml12',
      verify: {
        checks: [
          q('time', '$.start', { equals: '11:00' }),
          q('flag', '$.flag', { equals: 'yes' }),
          q('mode', '$.mode', { equals: 755 }),
          q('oct', '$.oct', { equals: 15 }),
          q('day', '$.day', { equals: '2024-01-31' }),
          q('merge', '$.merged.a', { exists: false }),
          q('intkey', "$['1']", { equals: 'one' }),
          q('onkey', '$.on', { equals: 'x' }),
          q('dup', '$.a', { equals: 1 }, 'dup.yaml'),
        ],
      },
    },
    {
      'workspace/c.yaml': 'start: 11:00\nflag: yes\nmode: 0755\noct: 0o17\nday: 2024-01-31\nbase: &b {a: 1}\nmerged: {<<: *b}\n1: one\non: x\n',
      'workspace/dup.yaml': 'a: 1\na: 2\n',
    },
  );
  const task = await loadOneTask(dir);
  const out = join(tempDir('clawgym-hx-'), 'yaml12');
  await exportHarborTask(task, out);
  const ws = startingWorkspace(out);
  const ts = await tsScores(task, ws);
  assert.deepEqual(ts, { time: 1, flag: 1, mode: 1, oct: 1, day: 1, merge: 1, intkey: 1, onkey: 1, dup: 0 });
  assert.deepEqual(runChecks(out, ws).scores, ts);
});

test('harbor export: a check whose id is "reward" keeps its score as "check:reward" beside the weighted reward', async () => {
  const dir = writeTask(
    tempDir('clawgym-hx-src-'),
    { id: 'named-reward', verify: { checks: [{ id: 'reward', type: 'file_exists', path: 'a.txt' }, { id: 'b', type: 'file_exists', path: 'b.txt', weight: 3 }] } },
    { 'workspace/a.txt': 'a\n' },
  );
  const out = join(tempDir('clawgym-hx-'), 'named-reward');
  await exportHarborTask(await loadOneTask(dir), out);
  assert.deepEqual(runChecks(out, startingWorkspace(out)), { reward: 0.25, scores: { 'check:reward': 1, b: 0 } });
});

test("harbor export: clawgym_checks.py's harbor_test reads reward.json first and its \"reward\" key, as Harbor >= 0.20 does", () => {
  const tmp = tempDir('clawgym-hx-');
  const out = join(tmp, 'logs'); // the inner test.sh writes where the outer checker keeps its own files, as in /logs/verifier
  const logs = out;
  const script = join(tmp, 'test.sh');
  writeFileSync(script, `mkdir -p ${logs}\necho 0.9 > ${logs}/reward.txt\necho '{"reward": 0.25, "style": 1}' > ${logs}/reward.json\n`);
  writeFileSync(join(tmp, 'checks.json'), JSON.stringify({ task_id: 't', mount: tmp, hidden: [], original_files: [], checks: [{ id: 'test', type: 'harbor_test', run: `bash ${script}` }] }));
  const py = join(tempDir('clawgym-hx-'), 'clawgym_checks.py');
  writeFileSync(py, CLAWGYM_CHECKS_PY);
  run('python3', [py, '--workspace', tmp, '--logs', out, '--checks', join(tmp, 'checks.json')]);
  const details = JSON.parse(readFileSync(join(out, 'clawgym_checks.json'), 'utf8')) as { reward: number; checks: Array<{ details: unknown }> };
  assert.equal(details.reward, 0.25);
  assert.deepEqual(details.checks[0]!.details, { style: 1 });
});
