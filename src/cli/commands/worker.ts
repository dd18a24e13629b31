/** `clawgym worker`: run trials from the BullMQ queue on Redis, on any number of hosts. */
import { availableParallelism } from 'node:os';
import { type Command } from 'commander';
import { safeRedisUrl } from '../../core/runs/queue/jobs.js';
import { TrialWorker, type WorkerEvent } from '../../core/runs/queue/worker.js';
import { printJson } from '../output.js';
import { serveUntilInterrupted } from '../interrupt.js';
import { positiveInt } from '../options.js';

function describe(e: WorkerEvent): string {
  switch (e.event) {
    case 'job_start':
      return `start ${e.task_id} #${e.attempt} (run ${e.run_id}${e.tries > 1 ? `, try ${e.tries}` : ''})`;
    case 'job_end':
      return `done  ${e.task_id} #${e.attempt}: reward ${e.reward.toFixed(3)}${e.error ? ` — ${e.error}` : ''} (${(e.ms / 1000).toFixed(1)} s)`;
    case 'job_failed':
      return `job ${e.job_id} failed: ${e.error}`;
    case 'error':
      return `error: ${e.error}`;
  }
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run trials that `clawgym run --queue` enqueued (BullMQ on Redis). Start any number, on any hosts that share the run folders; results land in the usual run folder. Ctrl-C stops after the running trials; twice stops now (they go back to the queue).')
    .requiredOption('--redis <url>', 'the Redis server, redis://[user:password@]host:port[/db]')
    .option('-c, --concurrency <n>', 'trials at once (default: number of cores)', positiveInt)
    .option('--lock-ms <n>', "a job's lock time: a trial whose worker died goes back to the queue within about twice this", positiveInt, 30_000)
    .option('--json', 'JSON lines on stdout: listening, then job_start / job_end / job_failed')
    .action(async (o) => {
      const concurrency = o.concurrency ?? availableParallelism();
      const say = (e: WorkerEvent | { event: 'ready' | 'stopped'; [k: string]: unknown }) => {
        if (o.json) printJson(e);
        else if (e.event === 'ready') process.stderr.write(`clawgym worker: ${safeRedisUrl(o.redis)}, ${concurrency} trial(s) at once\n`);
        else if (e.event === 'stopped') process.stderr.write('clawgym worker: stopped\n');
        else process.stderr.write(`${describe(e as WorkerEvent)}\n`);
      };
      const worker = await TrialWorker.start({ redis: o.redis, concurrency, lockMs: o.lockMs, onEvent: say });
      say({ event: 'ready', redis: safeRedisUrl(o.redis), concurrency, pid: process.pid });
      // A second Ctrl-C stops at once: the running trials' locks expire and other workers take them over.
      await serveUntilInterrupted(() => worker.close(), 'stopping after the running trials (Ctrl-C again to stop now: they go back to the queue)');
      say({ event: 'stopped' });
    });
}
