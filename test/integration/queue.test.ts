/**
 * Distributed runs on a real Redis with real worker processes (`clawgym worker`): 100 oracle
 * trials over a procedural pool with one worker SIGKILLed in the middle of a trial — its trial is
 * retried on the other worker (BullMQ stalled-job detection) and every trial is in results.jsonl
 * exactly once; a producer killed mid-run is resumed and collects the finished jobs from Redis
 * without running them again.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, ROOT, runCli, tempDir } from '../helpers.ts';
import { startRedis, type TestRedis } from '../redis.ts';

type WorkerEvent = { event: string; job_id?: string; run_id?: string; task_id?: string; tries?: number; reward?: number };

class WorkerProc {
  readonly events: WorkerEvent[] = [];
  readonly child: ChildProcess;
  stderr = '';
  private waiters: Array<() => void> = [];
  constructor(redis: string, onEvent?: (e: WorkerEvent, w: WorkerProc) => void) {
    this.child = spawn(process.execPath, [CLI, 'worker', '--redis', redis, '--concurrency', '2', '--lock-ms', '2000', '--json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let buf = '';
    this.child.stdout!.on('data', (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (!line.trim()) continue;
        const e = JSON.parse(line) as WorkerEvent;
        this.events.push(e);
        onEvent?.(e, this);
        for (const w of this.waiters.splice(0)) w();
      }
    });
    this.child.stderr!.on('data', (c) => (this.stderr += c));
  }
  async until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 200);
      });
    }
  }
  started(runId?: string) {
    return this.events.filter((e) => e.event === 'job_start' && (!runId || e.run_id === runId));
  }
  ended(runId?: string) {
    return this.events.filter((e) => e.event === 'job_end' && (!runId || e.run_id === runId));
  }
  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGKILL');
    return exited;
  }
}

const dir = tempDir();
chmodSync(dir, 0o755); // the sandbox uid (when tests run as root) must reach the run folders
let redis: TestRedis;
const workers: WorkerProc[] = [];

before(async () => {
  redis = await startRedis();
  for (const [name, n, seed] of [['pool', 100, 5], ['pool2', 30, 6]] as const) {
    const r = await runCli(['synth', '--route', 'procedural', '--n', String(n), '--seed', String(seed), '--out', join(dir, name), '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
  }
});

after(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
});

const lines = (runDir: string) =>
  readFileSync(join(runDir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { task_id: string; attempt: number; reward: number; error: string | null; trial_dir: string });

function keysOnce(ls: Array<{ task_id: string; attempt: number }>): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of ls) m.set(`${l.task_id}#${l.attempt}`, (m.get(`${l.task_id}#${l.attempt}`) ?? 0) + 1);
  return m;
}

test('100 trials on two workers, one SIGKILLed mid-trial: its trial runs again elsewhere, every trial exactly once, all rewards 1.0', { timeout: 300_000 }, async () => {
  // Killed from its own output handler the moment it reports starting its 15th trial: that trial
  // (and any other it holds) is mid-way, its job locked by a process that no longer exists.
  let killed = false;
  const victim = new WorkerProc(redis.url, (e, w) => {
    if (e.event !== 'job_start' || killed || w.started().length < 15) return;
    killed = true;
    w.child.kill('SIGKILL');
  });
  const survivor = new WorkerProc(redis.url);
  workers.push(victim, survivor);
  await victim.until(() => victim.events.some((e) => e.event === 'ready'), 'worker 1 ready');
  await survivor.until(() => survivor.events.some((e) => e.event === 'ready'), 'worker 2 ready');

  const out = join(dir, 'run');
  const r = await runCli(['run', join(dir, 'pool'), '--agent', 'oracle', '--queue', redis.url, '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr.slice(-3000));
  assert.equal(victim.child.signalCode, 'SIGKILL', 'worker 1 was killed');
  // A worker reports a trial's end before it completes the job: a trial it never reported ending
  // was never completed by it.
  const endedByVictim = new Set(victim.ended().map((x) => x.job_id));
  const inFlightAtKill = victim.started().map((x) => x.job_id!).filter((id) => !endedByVictim.has(id));
  assert.ok(inFlightAtKill.length >= 1, 'worker 1 held a trial when it was killed');

  const ls = lines(out);
  assert.equal(ls.length, 100);
  const counts = keysOnce(ls);
  assert.equal(counts.size, 100, 'every trial once');
  assert.deepEqual([...counts.values()].filter((c) => c !== 1), []);
  assert.deepEqual(ls.filter((l) => l.reward !== 1 || l.error).map((l) => `${l.task_id}: ${l.reward} ${l.error}`), []);
  // The run's own JSON stream reported each trial once as well.
  const trialEvents = r.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'result');
  assert.equal(trialEvents.length, 100);

  // The trials the dead worker held were retried by the survivor (a second try of the same job).
  const runId = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).run_id as string;
  for (const id of inFlightAtKill) {
    const retry = survivor.started(runId).find((e) => e.job_id === id);
    assert.ok(retry, `job ${id} was taken over by the surviving worker`);
    assert.ok((retry.tries ?? 0) >= 2, `job ${id} was a second try`);
    const taskId = decodeURIComponent(id.split('/')[1]!);
    const line = ls.find((l) => l.task_id === taskId)!;
    assert.equal(JSON.parse(readFileSync(join(out, line.trial_dir, 'result.json'), 'utf8')).reward, 1);
  }
  // Between them the workers ended every trial.
  assert.equal(new Set([...victim.ended(runId), ...survivor.ended(runId)].map((e) => e.job_id)).size, 100);

  // Resume (with or without the queue) finds nothing left to do.
  for (const extra of [['--queue', redis.url], []]) {
    const again = await runCli(['run', '--resume', out, ...extra, '--no-progress']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /0 trial\(s\) to run, 100 already done/);
    assert.equal(lines(out).length, 100);
  }
});

test('a producer killed mid-run: resume collects the jobs finished meanwhile from Redis, none runs twice', { timeout: 300_000 }, async () => {
  const w = new WorkerProc(redis.url);
  workers.push(w);
  await w.until(() => w.events.some((e) => e.event === 'ready'), 'worker ready');
  const all = () => workers.filter((x) => !x.child.signalCode);

  const out = join(dir, 'run2');
  const producer = spawn(process.execPath, [CLI, 'run', join(dir, 'pool2'), '--agent', 'oracle', '--queue', redis.url, '--out', out, '--json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
  const exited = new Promise<void>((res) => producer.once('exit', () => res()));
  // Killed once a few results are in: the rest keep running on the workers, unseen.
  await w.until(() => existsSync(join(out, 'results.jsonl')) && lines(out).length >= 1, 'a first result');
  producer.kill('SIGKILL');
  await exited;
  const runId = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).run_id as string;
  await w.until(() => all().reduce((n, x) => n + x.ended(runId).length, 0) >= 30, 'all 30 jobs done on the workers');
  const before = lines(out).length;
  assert.ok(before < 30, `the killed producer had appended ${before} of 30`);

  const r = await runCli(['run', '--resume', out, '--queue', redis.url, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const ls = lines(out);
  assert.equal(ls.length, 30);
  assert.equal(keysOnce(ls).size, 30);
  assert.ok(ls.every((l) => l.reward === 1));
  // Collected, not re-run: the workers started each of this run's jobs exactly once.
  const starts = all().flatMap((x) => x.started(runId));
  assert.equal(starts.length, 30);
  assert.equal(new Set(starts.map((e) => e.job_id)).size, 30);
});

test('a bad Redis URL and an unreachable Redis are reported, not hung on', { timeout: 60_000 }, async () => {
  const bad = await runCli(['worker', '--redis', 'http://localhost:1']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /redis:\/\//);
  const down = await runCli(['run', join(dir, 'pool2'), '--agent', 'nop', '--queue', 'redis://127.0.0.1:1', '--out', join(dir, 'run3'), '--no-progress']);
  assert.equal(down.code, 4, down.stderr);
  assert.match(down.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
});
