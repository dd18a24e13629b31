/**
 * RL-serving figures, each against a baseline measured in the same run:
 * - the environment server at 64 concurrent OpenEnv sessions (WebSocket /ws), every step an
 *   `exec` call_tool: steps/s and p50/p99 step latency with the persistent sandbox (one bwrap per
 *   episode, each call a child of its supervisor) against a sandbox per call (the way before,
 *   CLAWGYM_SANDBOX_PER_CALL=1). Target: ≥ 2× the throughput.
 * - per-call overhead of the persistent sandbox (a full call: namespaces, limits, output
 *   forwarded) against a bare fork/exec of the same command inside the same sandbox. Target ≤ 1.2×.
 * - the server's RSS after 10,000 steps (episodes of 50 ended and replaced, as a trainer runs
 *   them), against its RSS after the first 1,000 (bounded: ~1×).
 * - distributed-run throughput: oracle trials through BullMQ on a local Redis with one
 *   `clawgym worker` against the in-process pool.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { getSandbox } from '../src/core/sandbox/probe.js';
import { PersistentSandbox } from '../src/core/sandbox/persistent.js';
import { startRedis } from '../test/redis.js';

const EPISODES = 64;
const STEPS = 20;
const COMMAND = 'ls -la && du -s .';
const RSS_STEPS = 10_000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

interface Served {
  child: ChildProcess;
  url: string;
  token: string;
}

async function serve(cli: string, pool: string, env: Record<string, string> = {}, extra: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', 'env', '--tasks', pool, '--port', '0', '--max-episodes', String(EPISODES), '--json', '--quiet', ...extra], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  const line = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
    });
    child.once('exit', (code) => reject(new Error(`serve env exited ${code}`)));
  });
  return { child, ...line };
}

async function stop(s: Served): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

/** One OpenEnv session over /ws: answers in order. */
async function session(s: Served): Promise<{ ask: (m: unknown) => Promise<any>; close: () => Promise<void> }> {
  const ws = new WebSocket(`${s.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${s.token}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const waiting: Array<(v: any) => void> = [];
  ws.on('message', (d) => waiting.shift()?.(JSON.parse(d.toString())));
  return {
    ask: (m) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        ws.send(JSON.stringify(m));
      }),
    // OpenEnv's close has no answer: the server ends the episode and closes the socket.
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.send(JSON.stringify({ type: 'close' }));
      }),
  };
}

/** 64 sessions at once, STEPS exec steps each: every step's latency and the wall time of them all. */
async function drive(s: Served, tasks: string[]): Promise<{ ms: number[]; wallMs: number }> {
  const sessions = await Promise.all(Array.from({ length: EPISODES }, () => session(s)));
  await Promise.all(sessions.map((c, i) => c.ask({ type: 'reset', data: { task_id: tasks[i % tasks.length] } })));
  const ms: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (c) => {
      for (let k = 0; k < STEPS; k++) {
        const t = performance.now();
        const r = await c.ask({ type: 'step', data: { type: 'call_tool', tool_name: 'exec', arguments: { command: COMMAND } } });
        if (r.type !== 'observation' || r.data.observation.result.is_error) throw new Error(`step failed: ${JSON.stringify(r).slice(0, 500)}`);
        ms.push(performance.now() - t);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  await Promise.all(sessions.map((c) => c.close()));
  return { ms, wallMs };
}

/** RSS (MiB) of a process, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * RSS_STEPS cheap steps as a trainer takes them: 16 sessions at a time, episodes of 50 steps
 * ended and replaced; the server's RSS after the first 1,000 steps and after all.
 */
async function rssAfterSteps(s: Served, tasks: string[]): Promise<{ early: number; late: number; secs: number }> {
  const n = 16;
  const perEpisode = 50;
  let done = 0;
  let early = NaN;
  const t0 = performance.now();
  for (let round = 0; done < RSS_STEPS; round++) {
    const sessions = await Promise.all(Array.from({ length: n }, () => session(s)));
    await Promise.all(sessions.map((c, i) => c.ask({ type: 'reset', data: { task_id: tasks[(round + i) % tasks.length] } })));
    await Promise.all(
      sessions.map(async (c) => {
        for (let k = 0; k < perEpisode && done < RSS_STEPS; k++) {
          const r = await c.ask({ type: 'step', data: { type: 'call_tool', tool_name: 'exec', arguments: { command: 'echo step' } } });
          if (r.type !== 'observation') throw new Error(JSON.stringify(r).slice(0, 500));
          if (++done === 1000) early = rssMb(s.child.pid!);
        }
      }),
    );
    await Promise.all(sessions.map((c) => c.close()));
  }
  return { early, late: rssMb(s.child.pid!), secs: (performance.now() - t0) / 1000 };
}

/** CPU (ms) a process used, with that of every child it has reaped (USER_HZ = 100). */
function treeCpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

/** The supervisor: bwrap's grandchild (bwrap → its pid-1 reaper → the supervisor). */
function supervisorPid(bwrap: number): number {
  const ppid = new Map<number, number>();
  for (const p of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      ppid.set(Number(p), Number(readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]));
    } catch {
      /* gone */
    }
  }
  const child = (of: number) => [...ppid].find(([, pp]) => pp === of)?.[0];
  const pid = child(child(bwrap) ?? -1);
  if (!pid) throw new Error('the supervisor process was not found');
  return pid;
}

/**
 * A full call of the persistent sandbox against a bare fork/exec of the same command in it (its
 * output read and dropped there): wall time timed inside the sandbox and from here (one request
 * each), and CPU per call (the supervisor's tree, plus this process's side of a call), which the
 * machine's load does not inflate.
 */
async function perCallOverhead(dir: string): Promise<{ call: number; bare: number; bareFromHost: number; callCpu: number; hostCpu: number; bareCpu: number }> {
  const sandbox = await getSandbox('bwrap');
  const ws = join(dir, 'overhead-ws');
  mkdirSync(ws);
  writeFileSync(join(ws, 'notes.txt'), 'a note\n');
  if (sandbox.owner) for (const p of [ws, join(ws, 'notes.txt')]) chownSync(p, sandbox.owner.uid, sandbox.owner.gid);
  const sb = await sandbox.open({ workspace: ws, mount: '/root/.openclaw/workspace' });
  if (!(sb instanceof PersistentSandbox)) throw new Error('the persistent sandbox is not available here');
  try {
    const argv = ['bash', '-c', COMMAND];
    const N = 200;
    for (let i = 0; i < 20; i++) await sb.run({ argv, timeoutMs: 30_000 }); // warm
    const sup = supervisorPid(sb.pid!);
    const calls: number[] = [];
    let cpu0 = treeCpuMs(sup);
    let own0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await sb.run({ argv, timeoutMs: 30_000 });
      calls.push(performance.now() - t);
    }
    const own = process.cpuUsage(own0);
    const hostCpu = (own.user + own.system) / 1000 / N;
    const callCpu = (treeCpuMs(sup) - cpu0) / N + hostCpu;
    cpu0 = treeCpuMs(sup);
    own0 = process.cpuUsage();
    const bare = await sb.baseline(argv, N);
    const ownBare = process.cpuUsage(own0);
    const bareCpu = (treeCpuMs(sup) - cpu0 + (ownBare.user + ownBare.system) / 1000) / N;
    const fromHost: number[] = [];
    for (let i = 0; i < N; i++) {
      const t = performance.now();
      await sb.baseline(argv, 1);
      fromHost.push(performance.now() - t);
    }
    return { call: pct(calls, 50), bare: pct(bare, 50), bareFromHost: pct(fromHost, 50), callCpu, hostCpu, bareCpu };
  } finally {
    await sb.close();
  }
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
    synth(16, envPool);
    const tasks = (JSON.parse(spawnSync(process.execPath, [cli, 'list', envPool, '--json'], { encoding: 'utf8' }).stdout).tasks as Array<{ id: string }>).map((t) => t.id);
    const results: Record<string, { ms: number[]; wallMs: number }> = {};
    for (const [mode, env] of [['per-call', { CLAWGYM_SANDBOX_PER_CALL: '1' }], ['persistent', {}]] as const) {
      const s = await serve(cli, envPool, env);
      try {
        results[mode] = await drive(s, tasks);
      } finally {
        await stop(s);
      }
    }
    const tput = (r: { ms: number[]; wallMs: number }) => r.ms.length / (r.wallMs / 1000);
    const [a, b] = [results['per-call']!, results.persistent!];
    console.log(`\nRL environment server: ${EPISODES} concurrent OpenEnv sessions (/ws) × ${STEPS} exec steps (${COMMAND})`);
    console.log(`  sandbox per call (before): ${tput(a).toFixed(1)} steps/s, p50 ${pct(a.ms, 50).toFixed(1)} ms, p99 ${pct(a.ms, 99).toFixed(1)} ms`);
    console.log(`  persistent sandbox:        ${tput(b).toFixed(1)} steps/s, p50 ${pct(b.ms, 50).toFixed(1)} ms, p99 ${pct(b.ms, 99).toFixed(1)} ms`);
    console.log(`  ratio persistent/per-call throughput: ${(tput(b) / tput(a)).toFixed(2)} (target ≥ 2), p50 latency ${(pct(b.ms, 50) / pct(a.ms, 50)).toFixed(2)}, p99 ${(pct(b.ms, 99) / pct(a.ms, 99)).toFixed(2)}`);

    const o = await perCallOverhead(dir);
    console.log(`\nPersistent sandbox, one call of \`${COMMAND}\` (median of 200): ${o.call.toFixed(2)} ms; a bare fork/exec of it in the same sandbox: ${o.bare.toFixed(2)} ms (${o.bareFromHost.toFixed(2)} ms asked from the host)`);
    console.log(`  ratio call/bare: ${(o.call / o.bare).toFixed(2)} (target ≤ 1.2); call/bare asked from the host (the isolation alone): ${(o.call / o.bareFromHost).toFixed(2)}`);
    console.log(`  CPU per call: ${o.callCpu.toFixed(2)} ms (the sandbox's ${(o.callCpu - o.hostCpu).toFixed(2)} + this process's ${o.hostCpu.toFixed(2)}) vs ${o.bareCpu.toFixed(2)} ms bare: ratio ${(o.callCpu / o.bareCpu).toFixed(2)} (wall-time ratios include the machine's scheduling delays)`);

    const s = await serve(cli, envPool, {}, ['--max-steps', String(RSS_STEPS)]);
    try {
      const r = await rssAfterSteps(s, tasks);
      console.log(`\nServer RSS over ${RSS_STEPS} steps (16 sessions at a time, episodes of 50 steps, ${(RSS_STEPS / r.secs).toFixed(0)} steps/s): ${r.early.toFixed(0)} MiB after 1,000, ${r.late.toFixed(0)} MiB after ${RSS_STEPS}`);
      console.log(`  ratio: ${(r.late / r.early).toFixed(2)} (bounded: ~1)`);
    } finally {
      await stop(s);
    }

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
