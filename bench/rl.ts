/**
 * RL-serving figures, each against a baseline measured in the same run:
 * - the environment server's step latency (p50/p99) with 32 concurrent episodes, every step an
 *   `exec` over HTTP, against the same tool calls made directly through the claw ToolExecutor
 *   in-process at the same concurrency (the sandbox's own cost);
 * - distributed-run throughput: the same oracle trials through BullMQ on a local Redis with one
 *   `clawgym worker` (as many trials at once as the pool) against the in-process pool.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolExecutor } from '../src/core/agents/claw/executor.js';
import { getSandbox } from '../src/core/sandbox/probe.js';
import { startRedis } from '../test/redis.js';

const EPISODES = 32;
const STEPS = 15;
const COMMAND = 'ls -la && du -s .';

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function envLatency(cli: string, pool: string): Promise<number[]> {
  const child = spawn(process.execPath, [cli, 'serve', 'env', '--tasks', pool, '--port', '0', '--max-episodes', String(EPISODES), '--json', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!).url);
    });
    child.once('exit', (code) => reject(new Error(`serve env exited ${code}`)));
  });
  try {
    return await drive(url);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function drive(url: string): Promise<number[]> {
  const post = async (path: string, body: unknown) => (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<Record<string, unknown>>;
  const tasks = ((await (await fetch(`${url}/tasks`)).json()) as { tasks: Array<{ id: string }> }).tasks;
  const ids = await Promise.all(Array.from({ length: EPISODES }, (_, i) => post('/reset', { task_id: tasks[i % tasks.length]!.id }).then((r) => r.episode_id as string)));
  const ms: number[] = [];
  await Promise.all(
    ids.map(async (id) => {
      for (let s = 0; s < STEPS; s++) {
        const t0 = performance.now();
        const r = await post('/step', { episode_id: id, tool_call: { name: 'exec', arguments: { command: COMMAND } } });
        if (r.is_error) throw new Error(`step failed: ${String(r.observation)}`);
        ms.push(performance.now() - t0);
      }
    }),
  );
  await Promise.all(ids.map((id) => post('/close', { episode_id: id })));
  return ms;
}

/** The same calls through ToolExecutor directly: one workspace and executor per "episode". */
async function directLatency(dir: string): Promise<number[]> {
  const sandbox = await getSandbox('bwrap');
  const ms: number[] = [];
  await Promise.all(
    Array.from({ length: EPISODES }, async (_, i) => {
      const ws = mkdtempSync(join(dir, `direct-${i}-`));
      const tmp = mkdtempSync(join(dir, `direct-tmp-${i}-`));
      writeFileSync(join(ws, 'notes.txt'), 'a note\n');
      if (sandbox.owner) for (const p of [ws, tmp, join(ws, 'notes.txt')]) chownSync(p, sandbox.owner.uid, sandbox.owner.gid);
      // As an episode's tools are set up (claw's openToolEnv): the workspace and a private /tmp.
      const ex = new ToolExecutor({ sandbox, workspace: ws, mount: '/root/.openclaw/workspace', binds: [{ host: tmp, dest: '/tmp', readOnly: false }], deadline: performance.now() + 600_000 });
      for (let s = 0; s < STEPS; s++) {
        const t0 = performance.now();
        const r = await ex.call('exec', JSON.stringify({ command: COMMAND }));
        if (r.isError) throw new Error(`direct exec failed: ${r.text}`);
        ms.push(performance.now() - t0);
      }
      await ex.close();
    }),
  );
  return ms;
}

function timedRun(cli: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', ...args, '--no-progress'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`clawgym run failed: ${r.stderr.slice(-2000)}`);
  return performance.now() - t0;
}

export async function benchRl(root: string): Promise<void> {
  const cli = join(root, 'dist', 'cli.cjs');
  const dir = mkdtempSync(join(tmpdir(), 'clawgym-bench-rl-'));
  chmodSync(dir, 0o755);
  const synth = (n: number, out: string) => {
    const r = spawnSync(process.execPath, [cli, 'synth', '--route', 'procedural', '--n', String(n), '--seed', '11', '--out', out, '--no-progress'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  try {
    const envPool = join(dir, 'env-pool');
    synth(EPISODES, envPool);
    const direct = await directLatency(dir);
    const env = await envLatency(cli, envPool);
    console.log(`\nRL environment server (${EPISODES} concurrent episodes × ${STEPS} exec steps over HTTP)`);
    console.log(`  step latency: p50 ${pct(env, 50).toFixed(1)} ms, p99 ${pct(env, 99).toFixed(1)} ms`);
    console.log(`  baseline (the same calls through ToolExecutor in-process, same concurrency): p50 ${pct(direct, 50).toFixed(1)} ms, p99 ${pct(direct, 99).toFixed(1)} ms`);
    console.log(`  ratio server/direct: p50 ${(pct(env, 50) / pct(direct, 50)).toFixed(2)}, p99 ${(pct(env, 99) / pct(direct, 99)).toFixed(2)}`);

    const N = 100;
    const pool = join(dir, 'pool');
    synth(N, pool);
    const cores = availableParallelism();
    timedRun(cli, [pool, '--agent', 'oracle', '--out', join(dir, 'warm')]); // page cache, sandbox
    const poolMs = timedRun(cli, [pool, '--agent', 'oracle', '-c', String(cores), '--out', join(dir, 'pool-run')]);
    const redis = await startRedis();
    const worker = spawn(process.execPath, [cli, 'worker', '--redis', redis.url, '--concurrency', String(cores), '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve) => worker.stdout.once('data', () => resolve())); // "ready"
      const queueMs = timedRun(cli, [pool, '--agent', 'oracle', '--queue', redis.url, '--out', join(dir, 'queue-run')]);
      const tp = (ms: number) => N / (ms / 1000);
      console.log(`\nDistributed runs (${N} oracle trials, ${cores} at once: in-process pool vs one worker over BullMQ/Redis)`);
      console.log(`  in-process pool: ${(poolMs / 1000).toFixed(2)} s, ${tp(poolMs).toFixed(1)} trials/s`);
      console.log(`  queue (1 worker): ${(queueMs / 1000).toFixed(2)} s, ${tp(queueMs).toFixed(1)} trials/s (worker start excluded, CLI start and report included on both sides)`);
      console.log(`  ratio queue/pool throughput: ${(tp(queueMs) / tp(poolMs)).toFixed(2)}`);
    } finally {
      worker.kill('SIGKILL');
      await redis.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
