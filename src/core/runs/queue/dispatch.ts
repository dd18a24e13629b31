/**
 * The producer side of a distributed run (`clawgym run --queue`): enqueue the trials still to run,
 * then wait for their jobs and append each result line to results.jsonl — this process is its
 * only writer, deduplicating by (task, attempt), so a job retried after a stall or collected twice
 * (an event and a reconciliation, or a resumed producer) is counted once.
 *
 * Completion is learnt from QueueEvents and, because events can be missed while a connection
 * drops, from a periodic look at each job still pending.
 */
import { Queue, QueueEvents } from 'bullmq';
import pLimit from 'p-limit';
import type { Task } from '../../task/task.js';
import { trialKey, type Orchestrator, type RunExecution } from '../orchestrator.js';
import { ResultLine } from '../records.js';
import { errorResult } from '../trial.js';
import { checkRedis, redisConnection, TRIAL_JOB_OPTIONS, TRIAL_QUEUE, trialJobId, type TrialJob } from './jobs.js';

type Outcome = { ok: true; value: unknown } | { ok: false; reason: string };

/** A job that failed for good (the worker could not run the trial) becomes a harness error line. */
function failedLine(o: RunExecution, task: Task, attempt: number, reason: string): ResultLine {
  return errorResult({ task, attempt, agent: o.manifest.agent.name, runDir: o.runDir, error: `queue: ${reason}`, kind: 'harness', retries: 0, ms: 0 });
}

/** `clawgym run --queue <redis-url>`: the trials go to `clawgym worker`s; this process collects them. */
export function queueOrchestrator(redis: string, opts: { reconcileMs?: number } = {}): Orchestrator {
  return { name: 'bullmq', execute: (run) => runOnQueue(redis, run, opts.reconcileMs) };
}

async function runOnQueue(redis: string, o: RunExecution, reconcileMs?: number): Promise<{ results: ResultLine[]; interrupted: boolean }> {
  const connection = redisConnection(redis);
  await checkRedis(redis);
  const queue = new Queue<TrialJob, ResultLine>(TRIAL_QUEUE, { connection, defaultJobOptions: TRIAL_JOB_OPTIONS });
  const events = new QueueEvents(TRIAL_QUEUE, { connection });
  const results: ResultLine[] = [];
  const pending = new Map<string, { task: Task; attempt: number }>();
  let finish: () => void = () => {};
  const allDone = new Promise<void>((r) => (finish = r));

  let lastSettled = 0;
  const settle = (jobId: string, out: Outcome) => {
    const p = pending.get(jobId);
    if (!p) return; // not ours, or already collected
    pending.delete(jobId);
    lastSettled = Date.now();
    const key = trialKey(p.task.spec.id, p.attempt);
    if (!o.done.has(key)) {
      let line: ResultLine;
      if (out.ok) {
        const parsed = ResultLine.safeParse(out.value);
        line = parsed.success ? parsed.data : failedLine(o, p.task, p.attempt, `the worker returned no valid result line (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      } else line = failedLine(o, p.task, p.attempt, out.reason);
      o.done.add(key);
      o.record(line);
      results.push(line);
      o.hooks.onResult?.(line);
    }
    if (!pending.size) finish();
  };

  /** Look at each pending job directly: catches whatever finished while no event reached us. */
  const limit = pLimit(32);
  const reconcile = () =>
    Promise.all(
      [...pending.keys()].map((id) =>
        limit(async () => {
          const job = await queue.getJob(id);
          if (!job) {
            // Removed (it outlived its retention): enqueue it again.
            const p = pending.get(id);
            if (p) await queue.add(p.task.spec.id, jobData(o, p.task, p.attempt), { jobId: id });
            return;
          }
          const state = await job.getState();
          if (state === 'completed') settle(id, { ok: true, value: job.returnvalue });
          else if (state === 'failed') settle(id, { ok: false, reason: job.failedReason || 'the job failed' });
        }),
      ),
    );

  // Connection errors (Redis restarting): ioredis reconnects by itself and the reconciliation
  // catches up on what finished meanwhile. Unheard, BullMQ would print every failed reconnection.
  queue.on('error', () => {});
  events.on('error', () => {});
  events.on('active', ({ jobId }) => {
    const p = pending.get(jobId);
    if (p) o.hooks.onTrialStart?.(p.task, p.attempt);
  });
  events.on('completed', ({ jobId, returnvalue }) => settle(jobId, { ok: true, value: typeof returnvalue === 'string' ? safeJson(returnvalue) : returnvalue }));
  // A failure that will be retried is not the end: only a job in the failed set is settled.
  events.on('failed', ({ jobId, failedReason }) => {
    if (!pending.has(jobId)) return;
    void queue
      .getJobState(jobId)
      .then((s) => s === 'failed' && settle(jobId, { ok: false, reason: failedReason }))
      .catch(() => {});
  });

  let interrupted = false;
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    interrupted = true;
    finish();
  };
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    for (const t of o.todo) pending.set(trialJobId(o.manifest, t.task.spec.id, t.attempt), t);
    if (!pending.size) return { results, interrupted };
    // Existing ids are left as they are: a resumed producer finds jobs still queued, running, or done.
    const jobs = [...pending].map(([id, p]) => ({ name: p.task.spec.id, data: jobData(o, p.task, p.attempt), opts: { ...TRIAL_JOB_OPTIONS, jobId: id } }));
    for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    o.hooks.signal?.addEventListener('abort', onAbort, { once: true });
    if (o.hooks.signal?.aborted) onAbort();
    await reconcile();
    const every = reconcileMs ?? 5000;
    // Polled only while no result arrives (cheap on long runs): a missed event is caught at the
    // latest when the jobs it concerns are all that is left.
    const quiet = () => (Date.now() - lastSettled >= every ? reconcile() : Promise.resolve());
    const tick = () => {
      timer = setTimeout(() => void quiet().catch(() => {}).finally(() => pending.size && !interrupted && tick()), every);
    };
    if (pending.size) tick();
    await allDone;
    if (interrupted) await withdraw(queue, [...pending.keys()]);
    return { results, interrupted };
  } finally {
    clearTimeout(timer);
    o.hooks.signal?.removeEventListener('abort', onAbort);
    await Promise.allSettled([events.close(), queue.close()]);
  }
}

function jobData(o: RunExecution, task: Task, attempt: number): TrialJob {
  return { run_dir: o.runDir, run_id: o.manifest.run_id, run_created_at: o.manifest.created_at, task_id: task.spec.id, attempt };
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

/**
 * Interrupted: take back the trials no worker has started. Running ones finish and stay in Redis
 * for `--resume` to collect.
 */
async function withdraw(queue: Queue<TrialJob, ResultLine>, ids: string[]): Promise<void> {
  const limit = pLimit(32);
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        try {
          const job = await queue.getJob(id);
          const state = await job?.getState();
          if (job && (state === 'waiting' || state === 'delayed' || state === 'prioritized')) await job.remove();
        } catch {
          /* a worker took it meanwhile: it runs, and --resume collects it */
        }
      }),
    ),
  );
}
