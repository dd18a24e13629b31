/**
 * How a run's trials get executed. The run (run.ts) decides what is left to do and owns
 * results.jsonl; an orchestrator runs those trials — in this process (pool.ts) or on `clawgym
 * worker`s through BullMQ (queue/dispatch.ts) — and hands every finished line back to be appended.
 */
import type { Agent } from '../agents/agent.js';
import type { TaskLoadError } from '../errors.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { Task } from '../task/task.js';
import type { RubricJudge } from '../verify/judge.js';
import type { ResultLine, RunManifest } from './records.js';

export interface RunHooks {
  onLoaded?(info: { tasks: number; errors: TaskLoadError[]; todo: number; done: number }): void;
  onTrialStart?(task: Task, attempt: number): void;
  onResult?(line: ResultLine): void;
  signal?: AbortSignal;
}

export interface TrialTodo {
  task: Task;
  attempt: number;
}

export interface RunExecution {
  runDir: string;
  manifest: RunManifest;
  /** Trials still to run, attempt-major (every task's first attempt before any second one). */
  todo: TrialTodo[];
  /** Keys (trialKey) already in results.jsonl: a line for one of them is never appended again. */
  done: Set<string>;
  /** Built once per run. */
  agent: Agent;
  judge?: RubricJudge;
  sandbox: Sandbox;
  /** Appends a finished line to results.jsonl (the run is its only writer). */
  record(line: ResultLine): void;
  hooks: RunHooks;
}

export interface Orchestrator {
  readonly name: string;
  execute(run: RunExecution): Promise<{ results: ResultLine[]; interrupted: boolean }>;
}

/** The identity of a trial in results.jsonl. */
export const trialKey = (taskId: string, attempt: number): string => `${taskId}\u0000${attempt}`;
