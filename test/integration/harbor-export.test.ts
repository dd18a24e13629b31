/**
 * `clawgym convert --to harbor` gives tasks that Harbor scores as ClawGym does. Each exported task
 * runs the way Harbor runs it, in a Harbor-shaped bubblewrap sandbox: the workspace that the
 * Dockerfile's COPY builds (environment/workspace) at the Dockerfile's WORKDIR; for the oracle,
 * /solution/solve.sh executed there; then /tests/test.sh with its output in /logs/verifier. The
 * reward Harbor reads first (reward.json's `reward`) must equal `clawgym verify`'s on the same
 * workspace, and so must each check's score — after the oracle and after nop, for every bundled
 * example and five ClawGym-Bench tasks (task_0199's checker runs ruby). task.toml and the reward
 * files are read with Harbor's own rules (test/harbor-models.ts).
 */
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { getSandbox } from '../../src/core/sandbox/probe.js';
import { DEFAULT_LIMITS, type Sandbox } from '../../src/core/sandbox/sandbox.js';
import { dockerWorkspace, parseDockerfile } from '../../src/core/task/dockerfile.js';
import { loadOneTask } from '../../src/core/task/load.js';
import { HARBOR_BASE_IMAGE, TASK_ENVIRONMENT, TASK_TOOLS } from '../../src/core/task/task-environment.js';
import type { Task } from '../../src/core/task/task.js';
import { chownTree } from '../../src/core/workspace/copy.js';
import { harborNetwork, harborReadsRewards, readHarborTaskToml } from '../harbor-models.js';
import { BENCH, EXAMPLES, ROOT, runCli, tempDir } from '../helpers.js';

/** Four ClawGym-Bench tasks whose untouched workspace already earns partial credit, and one whose checker runs ruby. */
const BENCH_TASKS = ['task_0078', 'task_0094', 'task_0119', 'task_0185', 'task_0199'];
const TRANSCRIPT_CHECKS = new Set(['tool_used', 'turn_count']);

interface VerifyJson {
  reward: number;
  error: string | null;
  code: { checks: Array<{ id: string; type: string; score: number | null }> };
}

/** The Dockerfile's WORKDIR, read with ClawGym's own Dockerfile reader (COPY mapping included). */
function workdirOf(exported: string): string {
  const env = join(exported, 'environment');
  const files = existsSync(join(env, 'workspace')) ? listFiles(join(env, 'workspace')).map((f) => `workspace/${f}`) : [];
  const ws = dockerWorkspace(readFileSync(join(env, 'Dockerfile'), 'utf8'), files, 'Dockerfile');
  assert.deepEqual(ws.warnings, [], 'the generated Dockerfile gives only what the sandbox has');
  return ws.mount!;
}

function listFiles(root: string, rel = ''): string[] {
  return readdirSync(join(root, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(root, join(rel, e.name)) : [join(rel, e.name)]));
}

/** A fresh copy of `src` (or an empty folder) owned by the sandbox's uid, as Docker's COPY makes it root's. */
async function ownedCopy(sb: Sandbox, src: string | undefined, dest: string): Promise<string> {
  mkdirSync(dest, { recursive: true });
  if (src && existsSync(src)) cpSync(src, dest, { recursive: true });
  if (sb.owner) await chownTree(dest, sb.owner);
  return dest;
}

/** Run a command in the Harbor-shaped sandbox: the workspace at WORKDIR (the cwd), /logs writable. */
async function inHarborSandbox(sb: Sandbox, o: { ws: string; workdir: string; logs: string; binds: Array<{ host: string; dest: string }>; command: string; timeoutSec: number }) {
  const r = await sb.run({
    argv: ['bash', '-c', o.command],
    workspace: o.ws,
    mount: o.workdir,
    binds: [{ host: o.logs, dest: '/logs', readOnly: false }, ...o.binds.map((b) => ({ ...b, readOnly: true }))],
    timeoutMs: o.timeoutSec * 1000,
  });
  assert.equal(r.timedOut, false, `${o.command} timed out`);
  return r;
}

test('convert --to harbor: every bundled example and five ClawGym-Bench tasks score in a Harbor-shaped sandbox exactly what clawgym verify gives', { timeout: 600_000 }, async (t) => {
  const tmp = tempDir('clawgym-harbor-');
  chmodSync(tmp, 0o755); // the sandbox uid must reach the trial folders
  const out = join(tmp, 'harbor');
  const bench = existsSync(BENCH) ? BENCH_TASKS.map((id) => join(BENCH, id)) : [];
  if (!bench.length) t.diagnostic('no ../shared/datasets/clawgym-bench: examples only');
  const conv = await runCli(['convert', EXAMPLES, ...bench, '--to', 'harbor', '-o', out, '--json']);
  assert.equal(conv.code, 0, conv.stderr);
  const summary = JSON.parse(conv.stdout) as { written: string[]; notes: Array<{ task_id: string; note: string }> };
  const examples = readdirSync(EXAMPLES).filter((d) => existsSync(join(EXAMPLES, d, 'task.yaml')));
  assert.equal(summary.written.length, examples.length + bench.length);
  for (const id of BENCH_TASKS.filter(() => bench.length)) {
    // ClawGym-Bench ships no oracle: the export says so, on stderr, in --json and in task.toml.
    assert.ok(summary.notes.some((n) => n.task_id === id && /no oracle solution/.test(n.note)), id);
    assert.match(conv.stderr, new RegExp(`note: ${id}: no oracle solution`));
  }

  const sb = await getSandbox('bwrap');
  const sources = [...examples.map((d) => join(EXAMPLES, d)), ...bench];
  const compared: string[] = [];
  for (const source of sources) {
    const task: Task = await loadOneTask(source);
    const id = task.spec.id;
    const exported = join(out, id);

    // task.toml as Harbor reads it: no network, the task's own timeout, the sandbox's memory.
    const cfg = readHarborTaskToml(join(exported, 'task.toml'));
    assert.equal(harborNetwork(cfg), 'no-network', id);
    assert.equal(cfg.environment?.allow_internet, false, `${id}: allow_internet = false for Harbor before 0.20`);
    assert.equal(cfg.environment?.memory_mb, DEFAULT_LIMITS.memoryMb, id);
    assert.equal(cfg.agent?.timeout_sec, task.spec.timeout_sec, id);
    assert.ok((cfg.verifier?.timeout_sec ?? 0) >= 60, id);
    assert.equal(Array.isArray(cfg.metadata?.clawgym_notes) && (cfg.metadata.clawgym_notes as string[]).some((n) => /no oracle/.test(n)), !task.solution, id);

    // The image: the contract's Debian and packages and variables, the workspace at the task's mount.
    const steps = parseDockerfile(readFileSync(join(exported, 'environment', 'Dockerfile'), 'utf8'));
    assert.equal(steps.find((s) => s.op === 'FROM')?.args, HARBOR_BASE_IMAGE);
    const install = /apt-get install ((?:-\S+ )*)(.+?) &&/.exec(steps.find((s) => s.op === 'RUN')?.args ?? '');
    assert.deepEqual(install?.[2]!.split(' ').sort(), TASK_TOOLS.map((x) => x.debian).sort(), `${id}: installs the contract's packages`);
    for (const [k, v] of Object.entries(TASK_ENVIRONMENT.env)) assert.ok(steps.some((s) => s.op === 'ENV' && s.args.includes(`${k}="${v}"`)), `${id}: ENV ${k}`);
    const workdir = workdirOf(exported);
    assert.equal(workdir, task.spec.mount, id);

    const states: Array<'oracle' | 'nop' | 'partial'> = task.solution ? ['oracle', 'nop'] : id === 'task_0199' ? ['nop', 'partial'] : ['nop'];
    for (const state of states) {
      const dir = join(tmp, 'trials', id, state);
      // Under umask 077 mkdir makes 0700 folders: the sandbox uid must traverse them to its copies.
      mkdirSync(dir, { recursive: true });
      for (const p of [join(tmp, 'trials'), join(tmp, 'trials', id), dir]) chmodSync(p, 0o755);
      const ws = await ownedCopy(sb, join(exported, 'environment', 'workspace'), join(dir, 'ws'));
      const logs = await ownedCopy(sb, undefined, join(dir, 'logs'));
      await ownedCopy(sb, undefined, join(logs, 'verifier'));
      await ownedCopy(sb, undefined, join(logs, 'agent'));
      if (state === 'oracle') {
        // Harbor's oracle: /solution uploaded, solve.sh made executable and executed in WORKDIR.
        const solution = await ownedCopy(sb, join(exported, 'solution'), join(dir, 'solution'));
        chmodSync(join(solution, 'solve.sh'), 0o755);
        const r = await inHarborSandbox(sb, { ws, workdir, logs, binds: [{ host: solution, dest: '/solution' }], command: '(/solution/solve.sh) > /logs/agent/oracle.txt 2>&1', timeoutSec: task.spec.timeout_sec });
        assert.equal(r.exitCode, 0, `${id}: solve.sh: ${readFileSync(join(logs, 'agent', 'oracle.txt'), 'utf8').slice(-2000)}`);
      }
      if (state === 'partial') {
        // Half an answer: the unfixed code as the "fixed" one and a trivial test script, which the checker runs with ruby.
        mkdirSync(join(ws, 'output'), { recursive: true });
        cpSync(join(ws, 'input', 'bad_gem.txt'), join(ws, 'output', 'good_gem.txt'));
        writeFileSync(join(ws, 'output', 'test_good_gem.txt'), 'puts "All tests passed"\n');
        if (sb.owner) await chownTree(ws, sb.owner);
      }

      // ClawGym's reward for this very workspace (clawgym verify leaves the folder as it was).
      const v = await runCli(['verify', source, ws, '--json']);
      assert.ok(v.code === 0 || v.code === 3, `${id} ${state}: clawgym verify: ${v.stderr}`);
      const verify = JSON.parse(v.stdout) as VerifyJson;
      assert.equal(verify.error, null, `${id} ${state}: ${verify.error}`);

      // Harbor's verifier: /tests uploaded, test.sh executable, run in WORKDIR, output in /logs/verifier.
      const tests = await ownedCopy(sb, join(exported, 'tests'), join(dir, 'tests'));
      chmodSync(join(tests, 'test.sh'), 0o755);
      const r = await inHarborSandbox(sb, { ws, workdir, logs, binds: [{ host: tests, dest: '/tests' }], command: '(/tests/test.sh) > /logs/verifier/test-stdout.txt 2>&1', timeoutSec: cfg.verifier?.timeout_sec ?? 600 });
      const stdout = () => readFileSync(join(logs, 'verifier', 'test-stdout.txt'), 'utf8').slice(-3000);
      assert.equal(r.exitCode, 0, `${id} ${state}: test.sh: ${stdout()}`);
      const read = harborReadsRewards(join(logs, 'verifier'));
      assert.equal(read.file, 'reward.json', `${id}: Harbor reads reward.json first`);
      assert.ok(Math.abs(read.rewards.reward! - verify.reward) < 1e-9, `${id} ${state}: Harbor records ${read.rewards.reward}, clawgym verify gives ${verify.reward}\n${stdout()}`);
      assert.equal(Number(readFileSync(join(logs, 'verifier', 'reward.txt'), 'utf8')), read.rewards.reward, `${id}: reward.txt (older Harbor) says the same`);
      for (const c of verify.code.checks.filter((c) => !TRANSCRIPT_CHECKS.has(c.type))) {
        const key = c.id === 'reward' ? 'check:reward' : c.id;
        assert.ok(Math.abs(read.rewards[key]! - (c.score ?? 0)) < 1e-9, `${id} ${state}: check ${c.id}: Harbor ${read.rewards[key]}, ClawGym ${c.score}`);
      }
      if (state === 'oracle') assert.equal(verify.reward, 1, `${id}: the oracle solves it`);
      if (state === 'nop' && !bench.includes(source)) assert.equal(verify.reward, 0, `${id}: nop scores 0`);
      if (state === 'partial') assert.ok(verify.reward > 0 && verify.reward < 1, `${id}: partial credit (${verify.reward})`);
      compared.push(`${id}/${state}=${Number(verify.reward.toFixed(4))}`);
    }
  }
  t.diagnostic(compared.join(' '));
  // The bench tasks chosen give partial credit on an untouched workspace: a comparison of non-zero rewards.
  if (bench.length) assert.ok(compared.filter((c) => c.startsWith('task_') && !c.endsWith('=0')).length >= 5, compared.join(' '));
});

test('a Harbor task whose test.sh writes reward.json and reward.txt is scored, like Harbor >= 0.20, by reward.json\'s "reward"', async () => {
  const dir = join(tempDir('clawgym-harbor-'), 'both-files');
  mkdirSync(join(dir, 'tests'), { recursive: true });
  mkdirSync(join(dir, 'environment'), { recursive: true });
  writeFileSync(join(dir, 'task.toml'), 'version = "1.0"\n[verifier]\ntimeout_sec = 60\n');
  writeFileSync(join(dir, 'instruction.md'), '# Do nothing\n');
  writeFileSync(join(dir, 'environment', 'Dockerfile'), 'FROM debian:bookworm-slim\nWORKDIR /app\n');
  writeFileSync(
    join(dir, 'tests', 'test.sh'),
    '#!/usr/bin/env bash\nmkdir -p /logs/verifier\necho 0.9 > /logs/verifier/reward.txt\necho \'{"reward": 0.25, "style": 1}\' > /logs/verifier/reward.json\n',
    { mode: 0o755 },
  );
  const ws = tempDir('clawgym-ws-');
  const v = await runCli(['verify', dir, ws, '--json']);
  const verify = JSON.parse(v.stdout) as VerifyJson & { code: { checks: Array<{ details?: Record<string, number> }> } };
  assert.equal(verify.reward, 0.25, v.stdout);
  assert.deepEqual(verify.code.checks[0]!.details, { style: 1 });
});

test('one list of what the sandbox offers: clawgym doctor probes it and finds it all; setup.sh installs from it', async () => {
  const d = await runCli(['doctor', '--json']);
  const report = JSON.parse(d.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
  // The task environment's tools come first, in the contract's order; doctor's informational
  // checks (persistent sandbox, cgroups, OpenClaw) follow them.
  const tools = ['bubblewrap', ...TASK_TOOLS.map((t) => t.name)];
  assert.deepEqual(report.checks.slice(0, tools.length).map((c) => c.name), tools);
  assert.ok(report.ok && d.code === 0, JSON.stringify(report.checks.filter((c) => !c.ok)));
  const setup = readFileSync(join(ROOT, 'scripts', 'setup.sh'), 'utf8');
  assert.match(setup, /src\/core\/task\/task-environment\.json/);
  for (const t of TASK_TOOLS) assert.doesNotMatch(setup, new RegExp(`need\\+=\\(${t.debian}\\)`), `${t.debian} comes from the list, not a copy`);
});
