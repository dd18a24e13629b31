/**
 * The trial queue's contract between `clawgym run --queue` (the producer, and the only writer of
 * results.jsonl) and `clawgym worker` (runs trials, writes trial folders): one BullMQ queue on
 * Redis, one job per task × attempt. Job ids are deterministic, so enqueuing a trial twice (a
 * resumed run, a retried submit) finds the job already there instead of running it again.
 */
import type { DefaultJobOptions } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { errorMessage, HarnessError, UsageError } from '../../errors.js';

export const TRIAL_QUEUE = 'clawgym-trials';

/** What a job carries: where the run lives (shared storage) and which trial to run. */
export const TrialJob = z.object({
  run_dir: z.string().min(1),
  run_id: z.string().min(1),
  /** With the id, names this run among every run that ever used the queue (ids are folder names, reused). */
  run_created_at: z.string().min(1),
  task_id: z.string().min(1),
  attempt: z.number().int().min(1),
});
export type TrialJob = z.infer<typeof TrialJob>;

const WEEK_S = 7 * 24 * 3600;

export const TRIAL_JOB_OPTIONS: DefaultJobOptions = {
  // runTrial already retries harness errors and never throws for the agent's or the task's
  // failures: a failing job means the worker could not start the trial (e.g. the run folder is
  // not on that host), worth a couple of tries elsewhere.
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  // Kept long enough for a producer that went away to come back (resume) and collect them.
  removeOnComplete: { age: WEEK_S },
  removeOnFail: { age: WEEK_S },
};

/**
 * A trial's job id: the run (its id and when it was made — a run id is its folder's name, and two
 * runs may share one), the task and the attempt. BullMQ refuses ":" in custom ids (and all-digit
 * ids); encodeURIComponent escapes ":".
 */
export function trialJobId(run: { run_id: string; created_at: string }, taskId: string, attempt: number): string {
  return `${encodeURIComponent(run.run_id)}@${encodeURIComponent(run.created_at)}/${encodeURIComponent(taskId)}/${attempt}`;
}

/** The URL with any password masked, for messages and logs. */
export function safeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** Connection options for BullMQ (it opens its own ioredis clients from them). */
export function redisConnection(url: string): { url: string; maxRetriesPerRequest: null } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--redis/--queue ${JSON.stringify(safeRedisUrl(url))} is not a URL: use redis://host:port[/db]`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new UsageError(`--redis/--queue must be a redis:// or rediss:// URL, not ${u.protocol}`);
  // Workers block on Redis; BullMQ requires commands that never give up retrying.
  return { url, maxRetriesPerRequest: null };
}

/**
 * Fail fast with a clear message when Redis cannot be reached: BullMQ's clients would retry an
 * unreachable server for ever (and cannot be closed before they first connect). One probe
 * connection that gives up at the first failure, then closed.
 */
export async function checkRedis(url: string, timeoutMs = 10_000): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  // The socket's own error (e.g. ECONNREFUSED) says more than connect()'s "Connection is closed".
  let socketError = '';
  probe.on('error', (e) => (socketError ||= errorMessage(e)));
  try {
    await probe.connect();
    await probe.ping();
  } catch (e) {
    throw new HarnessError(`cannot reach Redis at ${safeRedisUrl(url)}: ${socketError || errorMessage(e)}`, { cause: e });
  } finally {
    probe.disconnect();
  }
}
