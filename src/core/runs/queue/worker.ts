/**
 * `clawgym worker`: pulls trials from the BullMQ queue and runs each with the usual trial code into
 * the run's own folder (shared storage), returning the result line as the job's return value. The
 * worker never touches results.jsonl: the producer appends from return values, so a trial retried
 * after a stall (a worker killed mid-trial) still lands there exactly once.
 */
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { createAgent } from '../../agents/registry.js';
import type { Agent } from '../../agents/agent.js';
import { errorMessage } from '../../errors.js';
import { RunManifest, type ResultLine } from '../records.js';
import { runTrial } from '../trial.js';
import { getSandbox } from '../../sandbox/probe.js';
import type { Sandbox, SandboxMode } from '../../sandbox/sandbox.js';
import { loadTasks } from '../../task/load.js';
import type { Task } from '../../task/task.js';
import { RubricJudge } from '../../verify/judge.js';
import { checkRedis, redisConnection, TRIAL_QUEUE, TrialJob } from './jobs.js';
import { isRunFolder, readManifest, RUN_FILES, runPaths } from '../folder.js';

export type WorkerEvent =
  | { event: 'job_start'; job_id: string; run_id: string; task_id: string; attempt: number; tries: number }
  | { event: 'job_end'; job_id: string; run_id: string; task_id: string; attempt: number; reward: number; error: string | null; ms: number }
  | { event: 'job_failed'; job_id: string; error: string }
  | { event: 'error'; error: string };

export interface TrialWorkerOptions {
  redis: string;
  /** Trials at once in this process. */
  concurrency: number;
  /**
   * How long a job's lock lives without renewal (renewed every half of it while the trial runs).
   * A killed worker's trial goes back to the queue within about twice this.
   */
  lockMs?: number;
  onEvent?: (e: WorkerEvent) => void;
  /** Tests: another sandbox source. */
  sandboxFor?: (mode: SandboxMode) => Promise<Sandbox>;
}

interface RunContext {
  manifest: RunManifest;
  tasks: Map<string, Task>;
  agent: Agent;
  judge: RubricJudge | undefined;
  sandbox: Sandbox;
}

/** Runs whose context we keep loaded (a worker usually serves one or two at a time). */
const CACHED_RUNS = 8;

export class TrialWorker {
  private readonly runs = new Map<string, Promise<RunContext>>();
  private constructor(
    private readonly o: TrialWorkerOptions,
    readonly worker: Worker<TrialJob, ResultLine>,
  ) {}

  static async start(o: TrialWorkerOptions): Promise<TrialWorker> {
    const lockMs = o.lockMs ?? 30_000;
    const connection = redisConnection(o.redis);
    await checkRedis(o.redis);
    // The processor needs the instance, which needs the Worker: set right after construction.
    const ref: { self?: TrialWorker } = {};
    const worker = new Worker<TrialJob, ResultLine>(TRIAL_QUEUE, (job) => ref.self!.process(job), {
      connection,
      concurrency: o.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      // A trial that keeps killing its workers is not retried for ever.
      maxStalledCount: 3,
      autorun: false,
    });
    const self = new TrialWorker(o, worker);
    ref.self = self;
    worker.on('failed', (job, err) => o.onEvent?.({ event: 'job_failed', job_id: job?.id ?? '?', error: errorMessage(err) }));
    worker.on('error', (err) => o.onEvent?.({ event: 'error', error: errorMessage(err) }));
    await worker.waitUntilReady();
    void worker.run();
    return self;
  }

  /** Stop taking jobs and wait for the running trials to finish. */
  async close(): Promise<void> {
    await this.worker.close();
  }

  private async process(job: Job<TrialJob, ResultLine>): Promise<ResultLine> {
    const parsed = TrialJob.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`not a trial job: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const d = parsed.data;
    const ctx = await this.context(d);
    const task = ctx.tasks.get(d.task_id);
    if (!task) throw new UnrecoverableError(`task ${d.task_id} of run ${d.run_id} cannot be loaded on this worker`);
    this.o.onEvent?.({ event: 'job_start', job_id: job.id!, run_id: d.run_id, task_id: d.task_id, attempt: d.attempt, tries: job.attemptsStarted });
    const t0 = performance.now();
    const line = await runTrial({
      task,
      attempt: d.attempt,
      agent: ctx.agent,
      sandbox: ctx.sandbox,
      runDir: d.run_dir,
      timeoutMultiplier: ctx.manifest.timeout_multiplier,
      harnessRetries: ctx.manifest.harness_retries,
      limits: ctx.manifest.limits,
      judge: ctx.judge,
    });
    this.o.onEvent?.({ event: 'job_end', job_id: job.id!, run_id: d.run_id, task_id: d.task_id, attempt: d.attempt, reward: line.reward, error: line.error, ms: Math.round(performance.now() - t0) });
    return line;
  }

  /** The run as its producer wrote it: manifest, tasks, agent, judge — loaded once per run. */
  private context(d: TrialJob): Promise<RunContext> {
    let p = this.runs.get(`${d.run_id}@${d.run_created_at}`);
    if (!p) {
      p = this.loadContext(d);
      // A failed load is not cached: the shared folder may appear a moment later.
      p.catch(() => this.runs.delete(`${d.run_id}@${d.run_created_at}`));
      this.runs.set(`${d.run_id}@${d.run_created_at}`, p);
      if (this.runs.size > CACHED_RUNS) this.runs.delete(this.runs.keys().next().value!);
    }
    return p;
  }

  private async loadContext(d: TrialJob): Promise<RunContext> {
    // Thrown as ordinary errors: BullMQ retries the job (maybe on a host that has the folder).
    if (!isRunFolder(d.run_dir)) throw new Error(`run folder ${d.run_dir} is not reachable from this worker (no ${RUN_FILES.manifest}): the run folder must be on storage every worker shares`);
    const manifest = readManifest(d.run_dir);
    if (manifest.run_id !== d.run_id || manifest.created_at !== d.run_created_at) {
      throw new UnrecoverableError(`${runPaths(d.run_dir).manifest} holds run ${manifest.run_id} of ${manifest.created_at}, not ${d.run_id} of ${d.run_created_at}: the run folder was replaced`);
    }
    const { tasks } = await loadTasks(manifest.paths);
    const wanted = new Set(manifest.tasks.map((t) => t.id));
    const sandbox = await (this.o.sandboxFor ?? getSandbox)(manifest.sandbox);
    return {
      manifest,
      tasks: new Map(tasks.filter((t) => wanted.has(t.spec.id)).map((t) => [t.spec.id, t])),
      agent: createAgent(manifest.agent),
      judge: manifest.judge ? RubricJudge.fromSpec(manifest.judge) : undefined,
      sandbox,
    };
  }
}
