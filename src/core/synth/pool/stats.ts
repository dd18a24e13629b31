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
import { DEFAULT_DEDUP, nearDuplicateRate } from '../dedup.js';
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

export async function poolStatsOf(tasks: readonly Task[], loadErrors: readonly TaskLoadError[] = [], threshold = DEFAULT_DEDUP.threshold): Promise<PoolStats> {
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
  };
}

export async function poolStats(paths: readonly string[], threshold = DEFAULT_DEDUP.threshold): Promise<PoolStats & { errors: TaskLoadError[] }> {
  const { tasks, errors } = await loadTasks(paths);
  return { ...(await poolStatsOf(tasks, errors, threshold)), errors };
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
  ].join('\n');
}
