/**
 * `clawgym pool stats`: what a pool holds (by category, family, route, difficulty) and how
 * repetitive it is — the share of tasks whose instruction has a near-duplicate at the dedup
 * threshold, and the share whose workspace is an exact or near copy of another's.
 */
import pLimit from 'p-limit';
import { z } from 'zod';
import type { TaskLoadError } from '../../errors.js';
import { loadTasks } from '../../task/load.js';
import type { Task } from '../../task/task.js';
import { readMutants } from '../../task/solutions.js';
import { DEFAULT_DEDUP, nearDuplicateRate } from '../dedup.js';
import { killRate, type TaskMutantsOutcome } from '../filter/mutants.js';
import { digest, factsOf, workspaceText } from './describe.js';

const Counts = z.record(z.string(), z.number().int());

export const PoolStats = z.object({
  tasks: z.number().int(),
  load_errors: z.number().int(),
  by_category: Counts,
  by_family: Counts,
  by_route: Counts,
  by_difficulty: Counts,
  families: z.number().int(),
  dedup_threshold: z.number(),
  /** Share of tasks with at least one other task whose instruction is a near-duplicate. */
  instruction_near_duplicate_rate: z.number(),
  instruction_near_duplicates: z.number().int(),
  /** Share of tasks whose workspace is byte-identical to another task's. */
  workspace_duplicate_rate: z.number(),
  workspace_duplicates: z.number().int(),
  /** Share of tasks whose workspace is a near-duplicate of another task's. */
  workspace_near_duplicate_rate: z.number(),
  /**
   * Per family, means over its tasks: steps (atomic operations), files the oracle touches
   * (measured when the mutants were run with the oracle, else the files the scored checks read),
   * rules stated; `estimate` is their sum — a rough ordering of families by how much a task asks.
   */
  difficulty: z.record(
    z.string(),
    z.object({
      tasks: z.number().int(),
      declared: z.number().nullable(),
      steps: z.number(),
      files_touched: z.number(),
      files_from: z.enum(['oracle', 'checks']),
      rules: z.number(),
      estimate: z.number(),
    }),
  ),
  /** With --mutants: wrong mutants scoring < 1 of all wrong mutants, overall and per family. */
  mutants: z
    .object({
      killed: z.number().int(),
      wrong: z.number().int(),
      kill_rate: z.number().nullable(),
      tasks_without: z.number().int(),
      by_family: z.record(z.string(), z.object({ killed: z.number().int(), wrong: z.number().int(), kill_rate: z.number().nullable() })),
    })
    .nullable(),
});
export type PoolStats = z.infer<typeof PoolStats>;

function countBy<T>(xs: readonly T[], key: (x: T) => string): Record<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  // Largest first, then by name: stable output for the same pool.
  return Object.fromEntries([...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** Workspace texts of many tasks, read with bounded concurrency, in task order. */
export async function workspaceTexts(tasks: readonly Task[]): Promise<string[]> {
  const limit = pLimit(32);
  return Promise.all(tasks.map((t) => limit(() => workspaceText(t))));
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const round2 = (x: number) => Math.round(x * 100) / 100;

/** The files a task's scored checks read: what it must produce or change. */
function checkedFiles(t: Task): number {
  const paths = new Set<string>();
  for (const c of t.spec.verify.checks) if (c.weight !== 0 && 'path' in c && typeof c.path === 'string') paths.add(c.path);
  return paths.size;
}

async function difficultyOf(tasks: readonly Task[], facts: ReturnType<typeof factsOf>[], mutants?: ReadonlyMap<string, TaskMutantsOutcome>): Promise<PoolStats['difficulty']> {
  const limit = pLimit(32);
  const rules = await Promise.all(tasks.map((t) => limit(async () => (await readMutants(t).catch(() => undefined))?.rules.length ?? 0)));
  const groups = new Map<string, number[]>();
  facts.forEach((f, i) => groups.set(f.family, [...(groups.get(f.family) ?? []), i]));
  const out: PoolStats['difficulty'] = {};
  for (const [family, idx] of [...groups].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const measured = idx.every((i) => mutants?.get(tasks[i]!.spec.id)?.oracle_files_touched);
    const files = idx.map((i) => (measured ? mutants!.get(tasks[i]!.spec.id)!.oracle_files_touched!.length : checkedFiles(tasks[i]!)));
    const steps = idx.map((i) => tasks[i]!.spec.operations.length);
    const declared = idx.map((i) => tasks[i]!.spec.difficulty).filter((d): d is number => typeof d === 'number');
    const r = idx.map((i) => rules[i]!);
    out[family] = {
      tasks: idx.length,
      declared: declared.length ? round2(mean(declared)) : null,
      steps: round2(mean(steps)),
      files_touched: round2(mean(files)),
      files_from: measured ? 'oracle' : 'checks',
      rules: round2(mean(r)),
      estimate: round2(mean(steps) + mean(files) + mean(r)),
    };
  }
  return out;
}

function mutantsOf(facts: ReturnType<typeof factsOf>[], outcomes?: ReadonlyMap<string, TaskMutantsOutcome>): PoolStats['mutants'] {
  if (!outcomes) return null;
  const all = facts.flatMap((f) => (outcomes.has(f.id) ? [{ family: f.family, o: outcomes.get(f.id)! }] : []));
  const k = killRate(all.map((x) => x.o));
  const by_family: NonNullable<PoolStats['mutants']>['by_family'] = {};
  for (const family of [...new Set(all.map((x) => x.family))].sort()) {
    const f = killRate(all.filter((x) => x.family === family).map((x) => x.o));
    by_family[family] = { killed: f.killed, wrong: f.wrong, kill_rate: f.rate };
  }
  return { killed: k.killed, wrong: k.wrong, kill_rate: k.rate, tasks_without: all.filter((x) => !x.o.has_mutants).length, by_family };
}

export async function poolStatsOf(tasks: readonly Task[], loadErrors: readonly TaskLoadError[] = [], threshold = DEFAULT_DEDUP.threshold, mutants?: ReadonlyMap<string, TaskMutantsOutcome>): Promise<PoolStats> {
  const facts = tasks.map(factsOf);
  const instr = nearDuplicateRate(tasks.map((t) => t.spec.instruction), { threshold });
  const ws = await workspaceTexts(tasks);
  const wsNear = nearDuplicateRate(ws, { threshold });
  const byDigest = new Map<string, number>();
  for (const d of ws.map(digest)) byDigest.set(d, (byDigest.get(d) ?? 0) + 1);
  const wsDup = [...byDigest.values()].filter((n) => n > 1).reduce((a, n) => a + n, 0);
  const n = tasks.length;
  const byFamily = countBy(facts, (f) => f.family);
  return {
    tasks: n,
    load_errors: loadErrors.length,
    by_category: countBy(facts, (f) => f.category),
    by_family: byFamily,
    by_route: countBy(facts, (f) => f.route),
    by_difficulty: Object.fromEntries(Object.entries(countBy(facts, (f) => f.difficulty)).sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    families: Object.keys(byFamily).length,
    dedup_threshold: threshold,
    instruction_near_duplicate_rate: instr.rate,
    instruction_near_duplicates: instr.withDuplicate,
    workspace_duplicate_rate: n ? wsDup / n : 0,
    workspace_duplicates: wsDup,
    workspace_near_duplicate_rate: wsNear.rate,
    difficulty: await difficultyOf(tasks, facts, mutants),
    mutants: mutantsOf(facts, mutants),
  };
}

/**
 * `mutants`: run each task's mutant solutions (and its oracle, for the files it touches) first, to
 * report kill rates; outcomes are kept in (and reused from) `mutants.dir`, e.g. a filter's
 * `<out>/.filter/mutants`.
 */
export async function poolStats(
  paths: readonly string[],
  threshold = DEFAULT_DEDUP.threshold,
  mutants?: (tasks: readonly Task[]) => Promise<ReadonlyMap<string, TaskMutantsOutcome>>,
): Promise<PoolStats & { errors: TaskLoadError[] }> {
  const { tasks, errors } = await loadTasks(paths);
  const outcomes = mutants ? await mutants(tasks) : undefined;
  return { ...(await poolStatsOf(tasks, errors, threshold, outcomes)), errors };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function formatPoolStats(s: PoolStats): string {
  const table = (title: string, c: Record<string, number>) => {
    const w = Math.max(...Object.keys(c).map((k) => k.length), 4);
    return [`${title}:`, ...Object.entries(c).map(([k, v]) => `  ${k.padEnd(w)}  ${String(v).padStart(6)}  ${pct(s.tasks ? v / s.tasks : 0).padStart(7)}`)].join('\n');
  };
  return [
    `${s.tasks} task(s)${s.load_errors ? `, ${s.load_errors} could not be loaded` : ''}; ${s.families} famil${s.families === 1 ? 'y' : 'ies'}`,
    table('by category', s.by_category),
    table('by family', s.by_family),
    table('by route', s.by_route),
    table('by difficulty', s.by_difficulty),
    `instruction near-duplicate rate (Jaccard ≥ ${s.dedup_threshold}): ${pct(s.instruction_near_duplicate_rate)} (${s.instruction_near_duplicates} task(s))`,
    `workspace duplicate rate: ${pct(s.workspace_duplicate_rate)} identical (${s.workspace_duplicates} task(s)), ${pct(s.workspace_near_duplicate_rate)} near-identical`,
    difficultyTable(s),
    ...(s.mutants ? [mutantsTable(s.mutants)] : []),
  ].join('\n');
}

function difficultyTable(s: PoolStats): string {
  const rows = Object.entries(s.difficulty).sort((a, b) => b[1].estimate - a[1].estimate || (a[0] < b[0] ? -1 : 1));
  const w = Math.max(...rows.map(([k]) => k.length), 6);
  const measured = rows.some(([, d]) => d.files_from === 'oracle');
  return [
    `difficulty estimate by family (means: steps = operations, files the oracle touches${measured ? '' : ' — estimated from the checked files; run with --mutants to measure'}, rules stated):`,
    `  ${'family'.padEnd(w)}  ${'estimate'.padStart(8)}  ${'steps'.padStart(5)}  ${'files'.padStart(5)}  ${'rules'.padStart(5)}  ${'declared'.padStart(8)}`,
    ...rows.map(([k, d]) => `  ${k.padEnd(w)}  ${d.estimate.toFixed(2).padStart(8)}  ${d.steps.toFixed(2).padStart(5)}  ${d.files_touched.toFixed(2).padStart(5)}${d.files_from === 'checks' && measured ? '*' : ' '} ${d.rules.toFixed(2).padStart(5)}  ${(d.declared === null ? '-' : d.declared.toFixed(2)).padStart(8)}`),
  ].join('\n');
}

function mutantsTable(m: NonNullable<PoolStats['mutants']>): string {
  const rate = (x: number | null) => (x === null ? 'n/a' : pct(x));
  const rows = Object.entries(m.by_family);
  const w = Math.max(...rows.map(([k]) => k.length), 6);
  return [
    `mutant kill rate (wrong mutants scoring < 1): ${rate(m.kill_rate)} (${m.killed}/${m.wrong})${m.tasks_without ? `; ${m.tasks_without} task(s) without mutants` : ''}`,
    ...rows.map(([k, f]) => `  ${k.padEnd(w)}  ${rate(f.kill_rate).padStart(7)}  (${f.killed}/${f.wrong})`),
  ].join('\n');
}
