/**
 * Mutant solutions (task/solutions.ts), run as the oracle is: the oracle agent with the mutant's
 * script as its solve.sh, through the ordinary trial (fresh workspace, sandbox, verification). A
 * task's mutants behave when every `wrong` one scores below 1, every `variant` exactly 1, and every
 * stated rule is ignored by some wrong mutant that scores below 1 (so the data really exercises it).
 *
 * Each task's outcome is kept as <dir>/<task-id>.json: a stopped filter continues where it was
 * (and `pool stats --mutants` can read a filter's outcomes instead of running them again).
 * Trial folders are kept only for mutants that misbehave (their verify.json says why).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { oracleAgent } from '../../agents/oracle.js';
import { errorMessage } from '../../errors.js';
import { trialFile } from '../../runs/folder.js';
import { runTrial } from '../../runs/trial.js';
import type { Sandbox } from '../../sandbox/sandbox.js';
import { listDir, listFileSet } from '../../task/fileset.js';
import { readMutants, type Mutant, type TaskMutants } from '../../task/solutions.js';
import type { Task } from '../../task/task.js';

export const MutantOutcome = z.object({
  id: z.string(),
  kind: z.enum(['wrong', 'variant']),
  rule: z.string().optional(),
  reward: z.number(),
  /** A trial that could not be scored (harness, timeout…). */
  error: z.string().nullable(),
  /** wrong: scored < 1; variant: scored exactly 1; and no error. */
  behaved: z.boolean(),
});
export type MutantOutcome = z.infer<typeof MutantOutcome>;

export const TaskMutantsOutcome = z.object({
  task_id: z.string(),
  /** False: the task has no solution/mutants.json. */
  has_mutants: z.boolean(),
  rules: z.array(z.string()),
  mutants: z.array(MutantOutcome),
  /** Rules no wrong mutant ignores, or whose mutants all scored 1. */
  unwitnessed: z.array(z.string()),
  /** mutants.json could not be read. */
  load_error: z.string().nullable().default(null),
  /** When the oracle was run too: the workspace files it created, changed or removed. */
  oracle_files_touched: z.array(z.string()).nullable().default(null),
});
export type TaskMutantsOutcome = z.infer<typeof TaskMutantsOutcome>;

/** Wrong mutants that score below 1 among all wrong mutants (null: none). */
export function killRate(outcomes: Iterable<TaskMutantsOutcome>): { killed: number; wrong: number; rate: number | null } {
  let killed = 0;
  let wrong = 0;
  for (const o of outcomes) {
    for (const m of o.mutants) {
      if (m.kind !== 'wrong' || m.error) continue;
      wrong++;
      if (m.reward < 1) killed++;
    }
  }
  return { killed, wrong, rate: wrong ? killed / wrong : null };
}

/** Why a task's mutants disqualify it (undefined: they behave). */
export function mutantsProblem(o: TaskMutantsOutcome | undefined): string | undefined {
  if (!o) return 'no mutants result';
  if (o.load_error) return `solution/mutants.json: ${o.load_error}`;
  if (!o.has_mutants) return 'no solution/mutants.json: nothing shows the checks tell wrong answers from right ones';
  const problems: string[] = [];
  if (!o.mutants.some((m) => m.kind === 'wrong')) problems.push('no wrong mutant');
  for (const m of o.mutants) {
    if (m.behaved) continue;
    if (m.error) problems.push(`${m.kind} mutant ${m.id} failed: ${m.error}`);
    else if (m.kind === 'wrong') problems.push(`wrong mutant ${m.id}${m.rule ? ` (ignores rule ${m.rule})` : ''} scores 1: the checks do not catch it`);
    else problems.push(`variant ${m.id} scores ${m.reward.toFixed(4)}: the checks reject an acceptable answer`);
  }
  if (o.unwitnessed.length) problems.push(`rule(s) not witnessed by a wrong mutant scoring < 1: ${o.unwitnessed.join(', ')}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** The rules that no wrong mutant scoring < 1 ignores. */
export function unwitnessedRules(rules: readonly string[], outcomes: readonly MutantOutcome[]): string[] {
  return rules.filter((r) => !outcomes.some((m) => m.kind === 'wrong' && m.rule === r && !m.error && m.reward < 1));
}

export interface MutantRunOptions {
  sandbox: Sandbox;
  /** Scratch for the trials (a folder per mutant; removed unless the mutant misbehaves). */
  dir: string;
  signal?: AbortSignal;
  /** Trials at once within the task (the caller's limit bounds the whole pool). */
  limit?: <T>(f: () => Promise<T>) => Promise<T>;
  /** Also run the oracle, to list the files it touches (pool stats' difficulty estimate). */
  oracle?: boolean;
}

/** Paths (relative, `/`-separated) that differ between the task's starting workspace and a final one. */
export async function filesTouched(task: Task, finalWorkspace: string): Promise<string[]> {
  const start = new Map<string, { from?: string; content?: string | Uint8Array }>();
  for (const set of task.workspace) for (const f of await listFileSet(set)) start.set(f.path, f);
  const bytes = (f: { from?: string; content?: string | Uint8Array }) => (f.content !== undefined ? Promise.resolve(Buffer.from(f.content)) : readFile(f.from!));
  const now = existsSync(finalWorkspace) ? await listDir(finalWorkspace) : [];
  const touched = new Set<string>();
  for (const f of now) {
    const s = start.get(f.path);
    if (!s || !(await bytes(s)).equals(await bytes(f))) touched.add(f.path);
  }
  const after = new Set(now.map((f) => f.path));
  for (const p of start.keys()) if (!after.has(p)) touched.add(p);
  return [...touched].sort();
}

/** Run the task's own oracle and list the files it touched. */
async function oracleTouched(task: Task, o: MutantRunOptions): Promise<string[] | null> {
  const runDir = join(o.dir, '.oracle');
  const r = await runTrial({ task, attempt: 1, agent: oracleAgent, sandbox: o.sandbox, runDir, timeoutMultiplier: 1, harnessRetries: 1, signal: o.signal });
  const touched = r.error ? null : await filesTouched(task, trialFile(join(runDir, r.trial_dir), 'workspace'));
  await rm(runDir, { recursive: true, force: true });
  return touched;
}

/** The task as the oracle agent sees it, with the mutant's script as solve.sh. */
function withSolution(task: Task, m: Mutant): Task {
  return { ...task, solution: { kind: 'files', files: [{ path: 'solve.sh', content: m.solution, mode: 0o755 }] } };
}

/** Run one mutant as the oracle; its trial folder is removed when it behaves. */
export async function runMutant(task: Task, m: Mutant, o: MutantRunOptions): Promise<MutantOutcome> {
  const runDir = join(o.dir, m.id);
  const r = await runTrial({ task: withSolution(task, m), attempt: 1, agent: oracleAgent, sandbox: o.sandbox, runDir, timeoutMultiplier: 1, harnessRetries: 1, signal: o.signal });
  const error = r.error;
  const behaved = !error && (m.kind === 'wrong' ? r.reward < 1 : r.reward === 1);
  if (behaved) await rm(runDir, { recursive: true, force: true });
  return { id: m.id, kind: m.kind, ...(m.rule ? { rule: m.rule } : {}), reward: r.reward, error, behaved };
}

/** Run a task's mutants (read from its folder unless given). */
export async function runTaskMutants(task: Task, o: MutantRunOptions, given?: TaskMutants): Promise<TaskMutantsOutcome> {
  let m: TaskMutants | undefined;
  try {
    m = given ?? (await readMutants(task));
  } catch (e) {
    return { task_id: task.spec.id, has_mutants: false, rules: [], mutants: [], unwitnessed: [], load_error: errorMessage(e), oracle_files_touched: null };
  }
  const lim = o.limit ?? (<T>(f: () => Promise<T>) => f());
  const touched = o.oracle ? lim(() => oracleTouched(task, o)) : Promise.resolve(null);
  if (!m) return { task_id: task.spec.id, has_mutants: false, rules: [], mutants: [], unwitnessed: [], load_error: null, oracle_files_touched: await touched };
  const outcomes = await Promise.all(m.mutants.map((x) => lim(() => runMutant(task, x, o))));
  const rules = m.rules.map((r) => r.id);
  return { task_id: task.spec.id, has_mutants: true, rules, mutants: outcomes, unwitnessed: unwitnessedRules(rules, outcomes), load_error: null, oracle_files_touched: await touched };
}

/**
 * Every task's mutants, `concurrency` trials at once over the whole pool; outcomes already in
 * `dir` (from a stopped run) are reused.
 */
export async function runPoolMutants(
  tasks: readonly Task[],
  o: { sandbox: Sandbox; dir: string; concurrency: number; signal?: AbortSignal; oracle?: boolean; onTask?: (id: string) => void },
): Promise<{ outcomes: Map<string, TaskMutantsOutcome>; interrupted: boolean }> {
  await mkdir(o.dir, { recursive: true });
  const limit = pLimit(o.concurrency);
  const outcomes = new Map<string, TaskMutantsOutcome>();
  await Promise.all(
    tasks.map(async (t) => {
      const file = join(o.dir, `${t.spec.id}.json`);
      if (existsSync(file)) {
        const before = TaskMutantsOutcome.safeParse(JSON.parse(await readFile(file, 'utf8').catch(() => 'null')));
        // An outcome without the oracle's files is rerun when they are wanted now.
        if (before.success && (!o.oracle || before.data.oracle_files_touched)) {
          outcomes.set(t.spec.id, before.data);
          o.onTask?.(t.spec.id);
          return;
        }
      }
      if (o.signal?.aborted) return;
      try {
        const r = await runTaskMutants(t, { sandbox: o.sandbox, dir: join(o.dir, t.spec.id), signal: o.signal, limit, oracle: o.oracle });
        if (o.signal?.aborted) return;
        outcomes.set(t.spec.id, r);
        o.onTask?.(t.spec.id);
        await writeFile(file, `${JSON.stringify(r)}\n`);
      } catch (e) {
        if (o.signal?.aborted) return;
        throw e;
      }
    }),
  );
  return { outcomes, interrupted: !!o.signal?.aborted };
}
