/**
 * A run: tasks × attempts trials through an in-process pool (concurrency defaults to the core
 * count), results appended to results.jsonl as each trial finishes. `resume` reads that file and
 * runs only the trials it lacks. With a queue (Redis URL) the trials go to `clawgym worker`s
 * instead (rl/dispatch.ts); this process still writes results.jsonl.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import picomatch from 'picomatch';
import { createAgent, type AgentSpec } from '../agents/registry.js';
import { TaskLoadError, UsageError } from '../errors.js';
import type { Sandbox, SandboxMode } from '../sandbox/sandbox.js';
import { loadTasks } from '../task/load.js';
import type { Task } from '../task/task.js';
import { RunManifest, type ResultLine } from './records.js';
import { readResults, ResultsWriter } from './store.js';
import { runTrial } from './trial.js';
import { VERSION } from '../version.js';
import { RubricJudge } from '../verify/judge.js';
import type { JudgeSpec } from '../verify/judge-spec.js';
import { runOnQueue } from './queue/dispatch.js';

export interface RunOptions {
  paths: string[];
  agent: AgentSpec;
  /** Scores task rubrics with an LLM judge. */
  judge?: JudgeSpec;
  attempts?: number;
  concurrency?: number;
  timeoutMultiplier?: number;
  include?: string[];
  exclude?: string[];
  sandboxMode: SandboxMode;
  harnessRetries?: number;
  /** The run folder; default runs/<run-id>. */
  out?: string;
  /** A Redis URL: trials go to `clawgym worker`s through BullMQ instead of the in-process pool. */
  queue?: string;
}

export interface RunHooks {
  onLoaded?(info: { tasks: number; errors: TaskLoadError[]; todo: number; done: number }): void;
  onTrialStart?(task: Task, attempt: number): void;
  onResult?(line: ResultLine): void;
  signal?: AbortSignal;
}

export interface RunSummary {
  runDir: string;
  manifest: RunManifest;
  results: ResultLine[];
  loadErrors: TaskLoadError[];
  interrupted: boolean;
}

export function newRunId(agent: string): string {
  const ts = new Date().toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return `${ts}-${agent}-${randomBytes(3).toString('hex')}`;
}

/** The agent as run.json records it: defined fields only, and never a key. */
function manifestAgent(a: AgentSpec): RunManifest['agent'] {
  const { name, command, instruction_via, model, base_url, config, max_steps, max_tokens, stream, trajectory, record } = a;
  const all = { name, command, instruction_via, model, base_url, config, max_steps, max_tokens, stream, trajectory, record };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as RunManifest['agent'];
}

export function filterTasks(tasks: Task[], include: string[], exclude: string[]): Task[] {
  const inc = include.length ? picomatch(include) : () => true;
  const exc = exclude.length ? picomatch(exclude) : () => false;
  return tasks.filter((t) => inc(t.spec.id) && !exc(t.spec.id));
}

export async function startRun(o: RunOptions, sandbox: Sandbox, hooks: RunHooks = {}): Promise<RunSummary> {
  const attempts = o.attempts ?? 1;
  const agentName = o.agent.name;
  createAgent(o.agent); // fail fast on a bad agent spec, before any folder is made
  if (o.judge) RubricJudge.fromSpec(o.judge);
  const runId = newRunId(agentName);
  const runDir = resolve(o.out ?? join('runs', runId));
  if (existsSync(join(runDir, 'run.json'))) {
    throw new UsageError(`${runDir} already holds a run: use --resume ${runDir} to continue it, or another --out`);
  }
  const { tasks: all, errors } = await loadTasks(o.paths);
  const tasks = filterTasks(all, o.include ?? [], o.exclude ?? []);
  const manifest: RunManifest = {
    schema_version: 1,
    run_id: runId,
    created_at: new Date().toISOString(),
    paths: o.paths.map((p) => resolve(p)),
    include: o.include ?? [],
    exclude: o.exclude ?? [],
    tasks: tasks.map((t) => ({ id: t.spec.id, source: t.source, format: t.format, category: t.spec.category ?? null })),
    agent: manifestAgent(o.agent),
    ...(o.judge ? { judge: Object.fromEntries(Object.entries(o.judge).filter(([, v]) => v !== undefined)) as JudgeSpec } : {}),
    attempts,
    concurrency: o.concurrency ?? availableParallelism(),
    timeout_multiplier: o.timeoutMultiplier ?? 1,
    sandbox: sandbox.mode,
    harness_retries: o.harnessRetries ?? 2,
    versions: { clawgym: VERSION, node: process.version },
  };
  await mkdir(runDir, { recursive: true });
  await writeFile(join(runDir, 'run.json'), JSON.stringify(manifest, null, 2));
  if (errors.length) await writeFile(join(runDir, 'load-errors.txt'), errors.map((e) => e.message).join('\n') + '\n');
  return execute(runDir, manifest, tasks, errors, sandbox, hooks, o.queue);
}

export async function resumeRun(runDirArg: string, sandbox: Sandbox, hooks: RunHooks = {}, overrides: { concurrency?: number; queue?: string } = {}): Promise<RunSummary> {
  const runDir = resolve(runDirArg);
  const file = join(runDir, 'run.json');
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run folder (no run.json)`);
  const manifest = RunManifest.parse(JSON.parse(await readFile(file, 'utf8')));
  if (overrides.concurrency) manifest.concurrency = overrides.concurrency;
  const { tasks: all, errors } = await loadTasks(manifest.paths);
  const wanted = new Set(manifest.tasks.map((t) => t.id));
  const tasks = all.filter((t) => wanted.has(t.spec.id));
  const missing = [...wanted].filter((id) => !tasks.some((t) => t.spec.id === id));
  for (const id of missing) errors.push(new TaskLoadError([{ file: runDir, message: `task ${id} of this run can no longer be loaded` }]));
  return execute(runDir, manifest, tasks, errors, sandbox, hooks, overrides.queue);
}

async function execute(runDir: string, manifest: RunManifest, tasks: Task[], loadErrors: TaskLoadError[], sandbox: Sandbox, hooks: RunHooks, queue?: string): Promise<RunSummary> {
  const resultsPath = join(runDir, 'results.jsonl');
  const { results: previous, validBytes } = readResults(resultsPath);
  const done = new Set(previous.map((r) => `${r.task_id}\u0000${r.attempt}`));
  const writer = new ResultsWriter(resultsPath, validBytes);
  const agent = createAgent(manifest.agent);
  const judge = manifest.judge ? RubricJudge.fromSpec(manifest.judge) : undefined;
  // Attempt-major order: every task's first attempt before any second one, so partial runs are comparable.
  const todo: Array<{ task: Task; attempt: number }> = [];
  for (let attempt = 1; attempt <= manifest.attempts; attempt++) {
    for (const task of tasks) if (!done.has(`${task.spec.id}\u0000${attempt}`)) todo.push({ task, attempt });
  }
  hooks.onLoaded?.({ tasks: tasks.length, errors: loadErrors, todo: todo.length, done: previous.length });
  const results = [...previous];
  if (queue) {
    try {
      const q = await runOnQueue({ redis: queue, runDir, manifest, todo, writer, done, onTrialStart: hooks.onTrialStart, onResult: hooks.onResult, signal: hooks.signal });
      return { runDir, manifest, results: [...results, ...q.results], loadErrors, interrupted: q.interrupted };
    } finally {
      writer.close();
    }
  }
  const limit = pLimit(manifest.concurrency);
  let interrupted = false;
  try {
    await Promise.all(
      todo.map(({ task, attempt }) =>
        limit(async () => {
          if (hooks.signal?.aborted) {
            interrupted = true;
            return;
          }
          hooks.onTrialStart?.(task, attempt);
          try {
            const line = await runTrial({
              task,
              attempt,
              agent,
              sandbox,
              runDir,
              timeoutMultiplier: manifest.timeout_multiplier,
              harnessRetries: manifest.harness_retries,
              judge,
              signal: hooks.signal,
            });
            writer.append(line);
            results.push(line);
            hooks.onResult?.(line);
          } catch (e) {
            if (hooks.signal?.aborted) interrupted = true;
            else throw e;
          }
        }),
      ),
    );
  } finally {
    writer.close();
  }
  return { runDir, manifest, results, loadErrors, interrupted };
}
