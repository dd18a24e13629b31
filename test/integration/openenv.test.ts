/**
 * OpenEnv's protocol as a trainer speaks it, from Python: test/integration/openenv_client.py (our
 * own client written from the protocol: python3 and Debian's `websockets`, no OpenEnv code)
 * drives `clawgym serve env` over /ws with real bubblewrap sandboxes. reset → call_tool write →
 * finish earns 1.0, doing nothing 0.0, state and schema answer; 64 concurrent sessions of 20
 * steps each get exactly the rewards `clawgym run --agent oracle|nop` gives; a server stopped or
 * killed mid-episode leaves no sandbox process and its clients hear a clear close code; GRPO
 * groups gather their members' rewards and trajectories.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { EnvProc } from '../env-proc.ts';
import { runCli, tempDir, writeTask } from '../helpers.ts';

const CLIENT = join(import.meta.dirname, 'openenv_client.py');
const PYTHON = '/usr/bin/python3';
const dir = tempDir();
chmodSync(dir, 0o755);
const pool = join(dir, 'pool');
const tiny = join(dir, 'tiny');
const servers: EnvProc[] = [];

/** Run a scenario of the Python client; its JSON answer. */
function python(scenario: string, env: EnvProc, args: unknown, url = env.url, token = env.token): Promise<any> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [CLIENT, scenario, url, token], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.stdin.end(JSON.stringify(args));
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`python ${scenario} exited ${code}: ${err.slice(-3000)}`));
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}

function serve(args: string[]): Promise<EnvProc> {
  const s = new EnvProc(['--quiet', ...args]);
  servers.push(s);
  return s.ready.then(() => s);
}

/** Host processes whose command line contains `marker`. */
function hostProcesses(marker: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return cmd.includes(marker) ? [cmd] : [];
      } catch {
        return [];
      }
    });
}

const results = (runDir: string) => readFileSync(join(runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number });

before(async () => {
  const r = await runCli(['synth', '--route', 'procedural', '--n', '8', '--seed', '5', '--out', pool, '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  writeTask(tiny, { id: 'tiny', instruction: 'Write hello to out.txt', timeout_sec: 60, verify: { checks: [{ id: 'out', type: 'text_equals', path: 'out.txt', text: 'hello' }] } }, { 'workspace/in.txt': 'x\n' });
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

test('Python over /ws: reset, call_tool write, finish → 1.0; nothing → 0.0; state, schema, metadata; Basic credentials in the URL work too', { timeout: 120_000 }, async () => {
  const env = await serve(['--tasks', tiny]);
  const out = await python('basic', env, { task_id: 'tiny', path: 'out.txt', content: 'hello' });
  assert.equal(out.reset.reward, null);
  assert.equal(out.reset.done, false);
  assert.equal(out.reset.observation.task_id, 'tiny');
  assert.equal(out.reset.observation.instruction, 'Write hello to out.txt');
  assert.equal(out.reset.observation.metadata.instruction, 'Write hello to out.txt', 'in metadata too (MCPToolClient keeps only metadata)');
  assert.deepEqual(out.tools.sort(), ['edit', 'exec', 'process', 'read', 'write']);
  assert.equal(out.state_before.step_count, 0);
  assert.equal(out.write.done, false);
  assert.equal(out.write.reward, null, 'no per-step reward by default');
  assert.equal(out.write.observation.tool_name, 'write');
  assert.equal(out.write.observation.error, null);
  assert.match(out.write.observation.result.data, /Successfully wrote 5 bytes/);
  assert.equal(out.state_after_write.step_count, 1);
  assert.equal(out.finish.reward, 1);
  assert.equal(out.finish.done, true);
  const v = out.finish.observation.metadata.verification;
  assert.equal(v.passed, true);
  assert.deepEqual(v.checks.map((c: { id: string; score: number }) => [c.id, c.score]), [['out', 1]]);
  assert.deepEqual([out.state_done.done, out.state_done.reward, out.state_done.end_reason], [true, 1, 'finish']);
  assert.equal(out.step_after_done.code, 'EXECUTION_ERROR');
  assert.match(out.step_after_done.message, /has ended/);
  assert.equal(out.nop.reward, 0);
  assert.equal(out.nop.observation.metadata.verification.checks[0].passed, false);
  for (const k of ['action', 'observation', 'state']) assert.equal(typeof out.schema[k], 'object', k);
  assert.deepEqual(out.schema.action.oneOf.map((a: { properties: { type: { const: string } } }) => a.properties.type.const).sort(), ['call_tool', 'finish', 'list_tools', 'message']);
  assert.deepEqual(Object.keys(out.metadata).sort(), ['author', 'description', 'documentation_url', 'name', 'readme_content', 'version']);
  assert.equal(out.health.status, 'healthy');

  // OpenEnv's own client cannot set headers on its WebSocket; it sends its base URL's credentials as Basic.
  const basic = await python('basic', env, { task_id: 'tiny', path: 'out.txt', content: 'hello' }, env.url.replace('://', `://clawgym:${env.token}@`), '');
  assert.equal(basic.finish.reward, 1);
});

test('64 concurrent WebSocket sessions of 20 steps each: the rewards clawgym run --agent oracle|nop gives', { timeout: 600_000 }, async () => {
  const env = await serve(['--tasks', pool, '--max-episodes', '64']);
  const tasks = readdirSync(pool).filter((t) => !t.startsWith('.')).sort();
  assert.equal(tasks.length, 8);
  const solve = (id: string) => readFileSync(join(pool, id, 'solution', 'solve.sh'), 'utf8');
  const plans = Array.from({ length: 64 }, (_, i) => {
    const task_id = tasks[i % tasks.length]!;
    const oracle = i % 2 === 0;
    return { task_id, kind: oracle ? 'oracle' : 'nop', calls: oracle ? [{ tool_name: 'exec', arguments: { command: solve(task_id) } }] : [] };
  });
  const t0 = performance.now();
  const got = (await python('concurrent', env, { plans, steps: 20 })).episodes as Array<{ task_id: string; kind: string; reward: number; done: boolean; step_count: number }>;
  const secs = (performance.now() - t0) / 1000;
  assert.equal(got.length, 64);
  for (const g of got) assert.deepEqual([g.done, g.step_count], [true, 20]);
  for (const agent of ['oracle', 'nop'] as const) {
    const out = join(dir, `run-${agent}`);
    const r = await runCli(['run', pool, '--agent', agent, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const byTask = new Map(results(out).map((l) => [l.task_id, l.reward]));
    for (const g of got.filter((x) => x.kind === agent)) assert.equal(g.reward, byTask.get(g.task_id), `${agent} on ${g.task_id}: env ${g.reward}, run ${byTask.get(g.task_id)}`);
    assert.deepEqual([...new Set(got.filter((x) => x.kind === agent).map((x) => x.reward))], [agent === 'oracle' ? 1 : 0]);
  }
  // Every session gave its slot back.
  const t1 = Date.now();
  while ((await env.get('/health')).episodes.used > 0) {
    assert.ok(Date.now() - t1 < 10_000, 'slots released');
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`# 64 sessions × 20 steps + finish: ${secs.toFixed(1)} s`);
});

test('a server stopped (1001) or killed mid-episode leaves no sandbox process; its clients hear how the socket closed', { timeout: 120_000 }, async () => {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    const env = await serve(['--tasks', tiny]);
    const marker = `4747.${signal === 'SIGTERM' ? 1 : 2}${process.pid}`;
    const child = spawn(PYTHON, [CLIENT, 'hold', env.url, env.token], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.end(JSON.stringify({ task_id: 'tiny', command: `sleep ${marker}` }));
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const closed = new Promise<void>((r) => child.on('close', () => r()));
    const t0 = Date.now();
    while (!out.includes('ready') || hostProcesses(marker).length === 0) {
      assert.ok(Date.now() - t0 < 30_000, 'the episode runs its background command');
      await new Promise((r) => setTimeout(r, 50));
    }
    await env.stop(signal);
    await closed;
    const how = JSON.parse(out.trim().split('\n').pop()!);
    if (signal === 'SIGTERM') assert.deepEqual([how.code, how.reason], [1001, 'server shutting down']);
    else assert.equal(how.code, 1006, 'the connection dropped without a close frame');
    const t1 = Date.now();
    while (hostProcesses(marker).length) {
      assert.ok(Date.now() - t1 < 5000, `no sandbox process left after ${signal}: ${hostProcesses(marker).join('; ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});

test('GRPO groups: members start from one workspace, their rewards come back together with every trajectory', { timeout: 120_000 }, async () => {
  const env = await serve(['--tasks', tiny]);
  // Native: three episodes at once.
  const g = await env.post('/group', { task_id: 'tiny', n: 3 });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.episodes.length, 3);
  const [a, b, c] = g.json.episodes.map((e: { episode_id: string }) => e.episode_id);
  await env.post('/step', { episode_id: a, tool_call: { name: 'write', arguments: { path: 'out.txt', content: 'hello' } } });
  await env.post('/step', { episode_id: b, tool_call: { name: 'write', arguments: { path: 'out.txt', content: 'nope' } } });
  const pending = await env.get(`/groups/${g.json.group_id}`);
  assert.deepEqual([pending.done, pending.finished], [false, 0]);
  for (const id of [a, b, c]) {
    await env.post('/verify', { episode_id: id });
    await env.post('/close', { episode_id: id });
  }
  const done = await env.get(`/groups/${g.json.group_id}?wait=10&trajectories=1`);
  assert.deepEqual([done.done, done.rewards, done.mean_reward], [true, [1, 0, 0], 1 / 3]);
  for (const m of done.members) assert.equal(m.trajectory.session_id, m.episode_id);
  // Over /ws: sessions join a group by id; the last to finish sees every reward.
  const ws = await python('concurrent', env, {
    steps: 1,
    plans: [0, 1].map((k) => ({ task_id: 'tiny', kind: String(k), group_id: 'g-ws', group_size: 2, calls: [{ tool_name: 'write', arguments: { path: 'out.txt', content: k ? 'hello' : 'x' } }] })),
  });
  assert.deepEqual(ws.episodes.map((e: { reward: number }) => e.reward).sort(), [0, 1]);
  const wsGroup = await env.get('/groups/g-ws?wait=10');
  assert.deepEqual([wsGroup.done, [...wsGroup.rewards].sort()], [true, [0, 1]]);
  assert.equal((await env.post('/group', { task_id: 'tiny', n: 1000 })).status, 429);
  assert.equal((await fetch(`${env.url}/groups/nope`, { headers: env.auth })).status, 404);
});

test('--dense-reward: each tool call earns the change in the code checks\' score; an episode\'s rewards add up to its reward', { timeout: 120_000 }, async () => {
  const env = await serve(['--tasks', tiny, '--dense-reward']);
  const write = (content: string) => ({ type: 'call_tool', tool_name: 'write', arguments: { path: 'out.txt', content } });
  const { answers } = await python('script', env, { reset: { task_id: 'tiny' }, actions: [write('nope'), write('hello'), { type: 'call_tool', tool_name: 'read', arguments: { path: 'out.txt' } }, { type: 'finish' }] });
  assert.deepEqual(answers.map((a: { reward: number | null }) => a.reward), [null, 0, 1, 0, 0]);
  const final = answers.at(-1);
  assert.equal(final.done, true);
  assert.equal(final.observation.metadata.verification.reward, 1);
  assert.equal(answers.slice(1).reduce((s: number, a: { reward: number }) => s + a.reward, 0), final.observation.metadata.verification.reward);
});
