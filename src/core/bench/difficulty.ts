/**
 * How hard each task is, measured rather than guessed: per-task solve rates over reference runs
 * (each run is one agent), and the difficulty band a solve rate falls in. Shared by `bench build
 * --difficulty-from` (stratified selection) and `bench calibrate` (the calibration report).
 */
import { z } from 'zod';
import { agentLabel, type RunFolder } from '../runs/folder.js';
import { mean } from '../runs/metrics.js';

export const BANDS = ['easy', 'medium', 'hard', 'unsolved', 'unrated'] as const;
export const Band = z.enum(BANDS);
export type Band = z.infer<typeof Band>;

/** Solve rate at or above which a task is easy / medium; above 0 and below MEDIUM it is hard. */
export const EASY_AT = 2 / 3;
export const MEDIUM_AT = 1 / 3;

export const BAND_RULES: Record<Band, string> = {
  easy: 'solve rate ≥ 66.7%',
  medium: '33.3% ≤ solve rate < 66.7%',
  hard: '0 < solve rate < 33.3%',
  unsolved: 'no reference agent solved it',
  unrated: 'no reference trial',
};

export function bandOf(rate: number | null): Band {
  if (rate === null) return 'unrated';
  if (rate <= 0) return 'unsolved';
  if (rate < MEDIUM_AT) return 'hard';
  if (rate < EASY_AT) return 'medium';
  return 'easy';
}

export interface TaskTally {
  trials: number;
  passes: number;
}

/** One reference run seen as one agent: its passes per task. */
export interface ReferenceAgent {
  label: string;
  run_id: string;
  run_dir: string;
  agent: string;
  model: string | null;
  tasks: Map<string, TaskTally>;
}

/**
 * The tallies of one run. Harness errors are left out: the infrastructure failed, the agent was not
 * measured. Any other error counts as not solved (a crashed agent did not solve the task).
 */
export function referenceAgent(run: RunFolder): ReferenceAgent {
  const tasks = new Map<string, TaskTally>();
  for (const r of run.results) {
    if (r.error_kind === 'harness') continue;
    const t = tasks.get(r.task_id) ?? { trials: 0, passes: 0 };
    t.trials++;
    if (r.passed) t.passes++;
    tasks.set(r.task_id, t);
  }
  return { label: agentLabel(run.manifest), run_id: run.manifest.run_id, run_dir: run.dir, agent: run.manifest.agent.name, model: run.manifest.agent.model ?? null, tasks };
}

/** Reference agents with unique labels (two runs of the same agent and model get their run id). */
export function referenceAgents(runs: readonly RunFolder[]): ReferenceAgent[] {
  const agents = runs.map(referenceAgent);
  const count = new Map<string, number>();
  for (const a of agents) count.set(a.label, (count.get(a.label) ?? 0) + 1);
  for (const a of agents) if (count.get(a.label)! > 1) a.label = `${a.label} (${a.run_id})`;
  return agents;
}

export interface TaskSolve {
  /** Mean over the agents that tried the task of their pass rate on it; null: none tried it. */
  rate: number | null;
  trials: number;
  /** Each agent's pass rate on the task, in the agents' order; null where it has no trial. */
  per_agent: Array<number | null>;
  band: Band;
}

/** Agents weigh equally whatever their attempts per task: the rate is a mean of per-agent rates. */
export function solveOf(taskId: string, agents: readonly ReferenceAgent[]): TaskSolve {
  const per_agent = agents.map((a) => {
    const t = a.tasks.get(taskId);
    return t && t.trials ? t.passes / t.trials : null;
  });
  const rate = mean(per_agent.filter((x): x is number => x !== null));
  const trials = agents.reduce((s, a) => s + (a.tasks.get(taskId)?.trials ?? 0), 0);
  return { rate, trials, per_agent, band: bandOf(rate) };
}
