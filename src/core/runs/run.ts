/**
 * A run: tasks × attempts trials, results appended to results.jsonl as each trial finishes.
 * `resume` reads that file and runs only the trials it lacks. Who runs the trials is an
 * Orchestrator: the in-process pool (concurrency defaults to the core count) or, with a queue
 * (Redis URL), `clawgym worker`s through BullMQ; this process writes results.jsonl either way.
 */
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import picomatch from 'picomatch';
import type { Agent } from '../agents/agent.js';
import { agentVersions, createAgent } from '../agents/registry.js';
import { checkAgentSpec, type AgentSpec } from '../agents/spec.js';
import { TaskLoadError, UsageError } from '../errors.js';
import type { Sandbox, SandboxMode } from '../sandbox/sandbox.js';
import { loadTasks } from '../task/load.js';
import type { Task } from '../task/task.js';
import { VERSION } from '../version.js';
import { RubricJudge } from '../verify/judge.js';
import type { JudgeSpec } from '../verify/judge-spec.js';
import { isRunFolder, placeRun, readManifest, runPaths, writeManifest } from './folder.js';
import { trialKey, type Orchestrator, type RunHooks, type TrialTodo } from './orchestrator.js';
import { inProcessPool } from './pool.js';
import { queueOrchestrator } from './queue/dispatch.js';
import type { ResultLine, RunManifest } from './records.js';
import { readResults, ResultsWriter } from './store.js';

export type { RunHooks } from './orchestrator.js';

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
  /** The run folder; default runs/<run-id>. Its name is the run id. */
  out?: string;
  /** A Redis URL: trials go to `clawgym worker`s through BullMQ instead of the in-process pool. */
  queue?: string;
  /** Sandbox limits over each task's own. */
  limits?: { memory_mb?: number; max_processes?: number };
}

export interface RunSummary {
  runDir: string;
  manifest: RunManifest;
  results: ResultLine[];
  loadErrors: TaskLoadError[];
  interrupted: boolean;
}

export function filterTasks(tasks: Task[], include: string[], exclude: string[]): Task[] {
  const inc = include.length ? picomatch(include) : () => true;
  const exc = exclude.length ? picomatch(exclude) : () => false;
  return tasks.filter((t) => inc(t.spec.id) && !exc(t.spec.id));
}

/** What a run is made of, built once: the agent and the judge (bad settings fail here, before any folder). */
function buildParts(agent: AgentSpec, judge: JudgeSpec | undefined): { agent: Agent; judge?: RubricJudge } {
  return { agent: createAgent(agent), judge: judge ? RubricJudge.fromSpec(judge) : undefined };
}

export async function startRun(o: RunOptions, sandbox: Sandbox, hooks: RunHooks = {}): Promise<RunSummary> {
  const agentSpec = checkAgentSpec(o.agent);
  const parts = buildParts(agentSpec, o.judge);
  const { runId, runDir } = placeRun(agentSpec.name, o.out);
  if (isRunFolder(runDir)) {
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
    agent: agentSpec,
    ...(o.judge ? { judge: Object.fromEntries(Object.entries(o.judge).filter(([, v]) => v !== undefined)) as JudgeSpec } : {}),
    attempts: o.attempts ?? 1,
    concurrency: o.concurrency ?? availableParallelism(),
    timeout_multiplier: o.timeoutMultiplier ?? 1,
    sandbox: sandbox.mode,
    harness_retries: o.harnessRetries ?? 2,
    ...(o.limits && (o.limits.memory_mb || o.limits.max_processes) ? { limits: Object.fromEntries(Object.entries(o.limits).filter(([, v]) => v !== undefined)) } : {}),
    versions: { clawgym: VERSION, node: process.version, ...agentVersions(agentSpec) },
  };
  writeManifest(runDir, manifest);
  if (errors.length) await writeFile(runPaths(runDir).loadErrors, errors.map((e) => e.message).join('\n') + '\n');
  return execute(runDir, manifest, tasks, errors, sandbox, parts, hooks, orchestratorFor(o.queue));
}

export async function resumeRun(runDirArg: string, sandbox: Sandbox, hooks: RunHooks = {}, overrides: { concurrency?: number; queue?: string } = {}): Promise<RunSummary> {
  const runDir = resolve(runDirArg);
  const manifest = readManifest(runDir);
  if (overrides.concurrency) manifest.concurrency = overrides.concurrency;
  const parts = buildParts(manifest.agent, manifest.judge);
  const { tasks: all, errors } = await loadTasks(manifest.paths);
  const wanted = new Set(manifest.tasks.map((t) => t.id));
  const tasks = all.filter((t) => wanted.has(t.spec.id));
  const missing = [...wanted].filter((id) => !tasks.some((t) => t.spec.id === id));
  for (const id of missing) errors.push(new TaskLoadError([{ file: runDir, message: `task ${id} of this run can no longer be loaded` }]));
  return execute(runDir, manifest, tasks, errors, sandbox, parts, hooks, orchestratorFor(overrides.queue));
}

function orchestratorFor(queue: string | undefined): Orchestrator {
  return queue ? queueOrchestrator(queue) : inProcessPool;
}

async function execute(
  runDir: string,
  manifest: RunManifest,
  tasks: Task[],
  loadErrors: TaskLoadError[],
  sandbox: Sandbox,
  parts: { agent: Agent; judge?: RubricJudge },
  hooks: RunHooks,
  orchestrator: Orchestrator,
): Promise<RunSummary> {
  const resultsPath = runPaths(runDir).results;
  const { results: previous, validBytes } = readResults(resultsPath);
  const done = new Set(previous.map((r) => trialKey(r.task_id, r.attempt)));
  const writer = new ResultsWriter(resultsPath, validBytes);
  // Attempt-major order: every task's first attempt before any second one, so partial runs are comparable.
  const todo: TrialTodo[] = [];
  for (let attempt = 1; attempt <= manifest.attempts; attempt++) {
    for (const task of tasks) if (!done.has(trialKey(task.spec.id, attempt))) todo.push({ task, attempt });
  }
  hooks.onLoaded?.({ tasks: tasks.length, errors: loadErrors, todo: todo.length, done: previous.length });
  try {
    const r = await orchestrator.execute({ runDir, manifest, todo, done, agent: parts.agent, judge: parts.judge, sandbox, record: (line) => writer.append(line), hooks });
    return { runDir, manifest, results: [...previous, ...r.results], loadErrors, interrupted: r.interrupted };
  } finally {
    writer.close();
  }
}
