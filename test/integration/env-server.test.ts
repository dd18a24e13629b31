/**
 * The RL environment server (`clawgym serve env`) driven over real HTTP, with real bubblewrap
 * sandboxes: 32 concurrent episodes replaying the oracle's actions (an `exec` of solve.sh) or
 * doing nothing score exactly what `clawgym run` scores on the same tasks; episode trajectories
 * replayed by `clawgym run --agent replay` score what the episode scored; reset by seed is
 * deterministic; the cap answers 429; idle episodes are reaped; /rollout runs the claw agent
 * against a scripted policy endpoint and returns n trajectories with rewards, never the key.
 */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { parse } from 'yaml';
import { EnvProc } from '../env-proc.ts';
import { runCli, tempDir } from '../helpers.ts';
import { MockLlm } from '../mock-llm.ts';
import { AtifTrajectory } from '../../src/core/trace/atif.ts';

const KEY = 'sk-policy-test-8c1f2e9a7b3d4e5f60718293';
const SERVER_KEY = 'sk-server-own-secret-1a2b3c4d5e6f7a8b9c0d';

const dir = tempDir();
chmodSync(dir, 0o755);
const pool = join(dir, 'pool');
const llm = new MockLlm();
let env: EnvProc;
let small: EnvProc;

before(async () => {
  const r = await runCli(['synth', '--route', 'procedural', '--n', '16', '--seed', '7', '--out', pool, '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  await llm.start();
  env = new EnvProc(['--tasks', pool, '--max-episodes', '32', '--idle-timeout', '300', '--allow-base-url', llm.url], { OPENAI_API_KEY: SERVER_KEY });
  small = new EnvProc(['--tasks', pool, '--max-episodes', '2', '--idle-timeout', '1', '--quiet'], { OPENAI_API_KEY: SERVER_KEY });
  await Promise.all([env.ready, small.ready]);
});

after(async () => {
  await Promise.all([env?.stop(), small?.stop()]);
  await llm.stop();
});

const solveSh = (taskId: string) => readFileSync(join(pool, taskId, 'solution', 'solve.sh'), 'utf8');
const results = (runDir: string) => readFileSync(join(runDir, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { task_id: string; reward: number; error: string | null });

test('32 concurrent episodes over HTTP (oracle actions and nop): rewards equal those of clawgym run', { timeout: 600_000 }, async () => {
  const tasks = ((await env.get('/tasks')).tasks as Array<{ id: string }>).map((t) => t.id);
  assert.equal(tasks.length, 16);
  const plans = tasks.flatMap((id) => [
    { id, kind: 'oracle' as const, calls: [{ name: 'exec', arguments: { command: solveSh(id) } }] },
    { id, kind: 'nop' as const, calls: [] as Array<{ name: string; arguments: Record<string, unknown> }> },
  ]);
  assert.equal(plans.length, 32);

  // Every episode is open before any takes a step: 32 sandboxes' workspaces at once.
  let opened = 0;
  let allOpen: () => void = () => {};
  const barrier = new Promise<void>((r) => (allOpen = r));
  let capacityChecked: () => void = () => {};
  const checked = new Promise<void>((r) => (capacityChecked = r));
  const outcomes = Promise.all(
    plans.map(async (p) => {
      const reset = await env.post('/reset', { task_id: p.id });
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.json.task_id, p.id);
      assert.deepEqual(reset.json.tools.map((t: { function: { name: string } }) => t.function.name).sort(), ['edit', 'exec', 'process', 'read', 'write']);
      assert.match(reset.json.instruction, /\S/);
      if (++opened === plans.length) allOpen();
      await checked;
      for (const c of p.calls) {
        const s = await env.post('/step', { episode_id: reset.json.episode_id, tool_call: c });
        assert.equal(s.status, 200, s.text);
        assert.equal(s.json.is_error, false, s.json.observation);
      }
      const v = await env.post('/verify', { episode_id: reset.json.episode_id });
      assert.equal(v.status, 200, v.text);
      const c = await env.post('/close', { episode_id: reset.json.episode_id });
      assert.equal(c.status, 200, c.text);
      AtifTrajectory.parse(c.json.trajectory);
      return { ...p, reward: v.json.reward as number, error: v.json.error as string | null };
    }),
  );
  await barrier;
  const health = await env.get('/health');
  assert.deepEqual([health.episodes.open, health.episodes.used, health.episodes.max], [32, 32, 32]);
  const full = await env.post('/reset', { task_id: tasks[0] });
  assert.equal(full.status, 429);
  assert.equal(full.json.error.type, 'at_capacity');
  assert.ok(Number(full.headers.get('retry-after')) >= 1);
  capacityChecked();
  const got = await outcomes;
  assert.equal((await env.get('/health')).episodes.open, 0);

  // The same tasks through `clawgym run` with the agents whose actions the episodes replayed.
  for (const agent of ['oracle', 'nop'] as const) {
    const out = join(dir, `run-${agent}`);
    const r = await runCli(['run', pool, '--agent', agent, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const byTask = new Map(results(out).map((l) => [l.task_id, l.reward]));
    for (const g of got.filter((x) => x.kind === agent)) {
      assert.equal(g.error, null, `${g.id}: ${g.error}`);
      assert.equal(g.reward, byTask.get(g.id), `${agent} on ${g.id}: env ${g.reward}, run ${byTask.get(g.id)}`);
    }
    assert.deepEqual([...new Set(got.filter((x) => x.kind === agent).map((x) => x.reward))], [agent === 'oracle' ? 1 : 0]);
  }
});

test('an episode trajectory replayed by clawgym run (--agent replay) scores what the episode scored', { timeout: 300_000 }, async (t) => {
  // Solve, then keep only the first line of the first file a check reads: for a CSV, its header
  // (column checks still pass, the rest fail) — a partial reward.
  const firstPath = (id: string) => {
    const spec = parse(readFileSync(join(pool, id, 'task.yaml'), 'utf8')) as { verify: { checks: Array<{ path?: string; type: string }> } };
    return spec.verify.checks.find((c) => c.path)!;
  };
  const all = ((await env.get('/tasks')).tasks as Array<{ id: string }>).map((t) => t.id);
  const csv = all.filter((id) => firstPath(id).type === 'csv');
  const tasks = [...csv.slice(0, 3), ...all.filter((id) => !csv.includes(id)).slice(0, 1)];
  assert.ok(csv.length >= 1, 'the pool has a task with a CSV output');
  const scored: number[] = [];
  for (const id of tasks) {
    const target = firstPath(id).path!;
    const reset = await env.post('/reset', { task_id: id });
    const ep = reset.json.episode_id;
    for (const c of [
      { name: 'exec', arguments: { command: solveSh(id) } },
      { name: 'exec', arguments: { command: `head -n 1 '${target}' > /tmp/first && cat /tmp/first > '${target}'` } },
      { name: 'read', arguments: JSON.stringify({ path: target }) }, // arguments as a model's JSON text
    ]) {
      const s = await env.post('/step', { episode_id: ep, tool_call: c, message: 'working on it' });
      assert.equal(s.status, 200, s.text);
    }
    const v = await env.post('/verify', { episode_id: ep });
    assert.equal((await env.post('/verify', { episode_id: ep })).json.reward, v.json.reward, 'verify again: the same result');
    assert.equal((await env.post('/step', { episode_id: ep, tool_call: { name: 'read', arguments: { path: target } } })).status, 409, 'no step after verify');
    const closed = await env.post('/close', { episode_id: ep });
    const file = join(dir, `${id}.trajectory.json`);
    writeFileSync(file, JSON.stringify(closed.json.trajectory));
    const out = join(dir, `replay-${id}`);
    const r = await runCli(['run', join(pool, id), '--agent', 'replay', '--trajectory', file, '--out', out, '--no-progress']);
    assert.equal(r.code, 0, r.stderr.slice(-2000));
    const [line] = results(out);
    assert.equal(v.json.reward, line!.reward, `${id}: env ${v.json.reward}, replayed run ${line!.reward}`);
    const replay = JSON.parse(readFileSync(join(out, 'trials', id, '1', 'replay.json'), 'utf8'));
    assert.equal(replay.calls, 3);
    scored.push(v.json.reward);
  }
  t.diagnostic(`rewards (env = replayed run): ${scored.join(', ')}`);
  assert.ok(scored.some((x) => x > 0 && x < 1), `a partial reward among ${scored.join(', ')}`);
});

test('reset by seed picks the same task every time, on any server of the same pool', { timeout: 120_000 }, async () => {
  const picks: string[] = [];
  for (let seed = 0; seed < 8; seed++) {
    const a = await env.post('/reset', { seed });
    const b = await env.post('/reset', { seed });
    assert.equal(a.json.task_id, b.json.task_id);
    const c = await small.post('/reset', { seed });
    assert.equal(c.json.task_id, a.json.task_id, 'another server of the same pool');
    for (const [srv, r] of [[small, c], [env, a], [env, b]] as const) assert.equal((await srv.post('/close', { episode_id: r.json.episode_id })).status, 200);
    picks.push(a.json.task_id);
  }
  assert.ok(new Set(picks).size >= 3, `seeds spread over tasks: ${picks.join(', ')}`);
});

test('bad requests get JSON errors with status codes', { timeout: 60_000 }, async () => {
  const cases: Array<[string, unknown, number, string]> = [
    ['/reset', { task_id: 'x', seed: 1 }, 400, 'invalid_request'],
    ['/reset', { task_id: 'no-such-task' }, 404, 'unknown_task'],
    ['/reset', '{not json', 400, 'invalid_json'],
    ['/step', { episode_id: 'nope', tool_call: { name: 'read', arguments: {} } }, 404, 'unknown_episode'],
    ['/step', { episode_id: 'x' }, 400, 'invalid_request'],
    ['/rollout', { task_id: 'x', base_url: 'ftp://x', model: 'm', n: 1 }, 400, 'invalid_request'],
  ];
  for (const [path, body, status, type] of cases) {
    const r = await env.post(path, body);
    assert.equal(r.status, status, `${path} ${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.type, type);
  }
  const tasks = (await env.get('/tasks')).tasks as Array<{ id: string }>;
  const tooMany = await small.post('/rollout', { task_id: tasks[0]!.id, base_url: llm.url, model: 'm', n: 3 });
  assert.equal(tooMany.status, 400);
  assert.equal((await fetch(`${env.url}/reset`, { headers: env.auth })).status, 405);
  // A tool the claw agent does not have is the policy's mistake: an error observation, not an HTTP error.
  const ep = (await env.post('/reset', { task_id: tasks[0]!.id })).json.episode_id;
  const s = await env.post('/step', { episode_id: ep, tool_call: { name: 'browse', arguments: {} } });
  assert.equal(s.status, 200);
  assert.equal(s.json.is_error, true);
  assert.match(s.json.observation, /no tool "browse"/);
  await env.post('/close', { episode_id: ep });
});

test('the cap answers 429 with Retry-After; idle episodes are reaped and then gone (410)', { timeout: 60_000 }, async () => {
  const a = await small.post('/reset', { seed: 1 });
  const b = await small.post('/reset', { seed: 2 });
  assert.deepEqual([a.status, b.status], [200, 200]);
  const c = await small.post('/reset', { seed: 3 });
  assert.equal(c.status, 429);
  assert.equal(c.headers.get('retry-after'), '1');
  // Idle timeout 1 s: both are reaped, freeing their slots.
  const t0 = Date.now();
  while ((await small.get('/health')).episodes.open > 0) {
    assert.ok(Date.now() - t0 < 15_000, 'reaped within 15 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  const late = await small.post('/step', { episode_id: a.json.episode_id, tool_call: { name: 'read', arguments: { path: 'x' } } });
  assert.equal(late.status, 410);
  assert.match(late.json.error.message, /reaped after 1 s idle/);
  const again = await small.post('/reset', { seed: 3 });
  assert.equal(again.status, 200);
  await small.post('/close', { episode_id: again.json.episode_id });
});

test('/rollout: n claw-agent samples against the policy endpoint, trajectories with rewards, the key never returned or logged', { timeout: 300_000 }, async () => {
  const taskId = ((await env.get('/tasks')).tasks as Array<{ id: string }>)[3]!.id;
  // Conversations alternate: even ones solve the task with one exec, odd ones give up.
  let conversations = 0;
  llm.setScript((req) => {
    if ((req.body.messages ?? []).length === 2) {
      const k = conversations++;
      return k % 2 === 0 ? { content: 'Running the fix.', tool_calls: [{ name: 'exec', arguments: { command: solveSh(taskId) } }] } : { content: 'I cannot do this.' };
    }
    return { content: 'Done.' };
  });
  const r = await env.post('/rollout', { task_id: taskId, base_url: llm.url, model: 'policy-model', n: 4, api_key: KEY });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.samples.length, 4);
  assert.deepEqual(r.json.samples.map((s: { reward: number }) => s.reward).sort(), [0, 0, 1, 1]);
  assert.equal(r.json.mean_reward, 0.5);
  for (const s of r.json.samples) {
    assert.equal(s.error, null);
    assert.equal(s.end_reason, 'model_stopped');
    const t = AtifTrajectory.parse(s.trajectory);
    assert.equal(t.agent.model_name, 'policy-model');
    const calls = t.steps.flatMap((x) => x.tool_calls ?? []);
    assert.equal(calls.length, s.reward === 1 ? 1 : 0);
  }
  const policyCalls = llm.requests.filter((x) => x.path.endsWith('/chat/completions'));
  assert.ok(policyCalls.length >= 4);
  assert.ok(policyCalls.every((x) => x.headers.authorization === `Bearer ${KEY}`), 'the caller’s key went to the policy');
  assert.ok(!r.text.includes(KEY), 'the key is not in the response');
  assert.ok(!env.stderr.includes(KEY), 'the key is not in the server log');

  // Without api_key the server's own key (OPENAI_API_KEY in its environment) is never sent.
  llm.requests.length = 0;
  llm.setScript(() => ({ content: 'Nothing to do.' }));
  const bare = await env.post('/rollout', { task_id: taskId, base_url: llm.url, model: 'policy-model', n: 1 });
  assert.equal(bare.status, 200, bare.text);
  assert.equal(bare.json.samples[0].reward, 0);
  assert.ok(llm.requests.length >= 1 && llm.requests.every((x) => !String(x.headers.authorization ?? '').includes(SERVER_KEY)));
});
