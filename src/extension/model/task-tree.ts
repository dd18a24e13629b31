/**
 * View model of the Tasks and Bench views and of the Test Explorer's items: tasks grouped by pool
 * (the task root they were found under) and category, filtered by review status. Pure: no vscode.
 */
import { basename, dirname, relative, sep } from 'node:path';
import type { ReviewStatus } from '../../core/task/schema.js';
import type { Task, TaskFormat } from '../../core/task/task.js';

export type ReviewFilter = 'all' | ReviewStatus;

export interface TaskEntry {
  /** Unique across pools: `<pool>/<task id>`. */
  key: string;
  id: string;
  pool: string;
  category: string;
  format: TaskFormat;
  source: string;
  difficulty?: number;
  review: ReviewStatus;
  title: string;
}

export interface CategoryNode {
  key: string;
  name: string;
  tasks: TaskEntry[];
}
export interface PoolNode {
  key: string;
  name: string;
  root: string;
  categories: CategoryNode[];
  count: number;
}

export const UNCATEGORIZED = 'Uncategorized';

/** A stable key from parts. Not NUL-joined: VS Code reserves \0 inside test item ids. */
export function keyOf(...parts: string[]): string {
  return JSON.stringify(parts);
}

/** The pool a task belongs to: the configured root holding it, else the folder around its folder. */
export function poolOf(source: string, roots: readonly string[]): { name: string; root: string } {
  const root = [...roots].sort((a, b) => b.length - a.length).find((r) => source === r || source.startsWith(r.endsWith(sep) ? r : r + sep));
  if (root && root !== source) return { name: basename(root), root };
  const parent = dirname(source);
  return { name: basename(parent) || parent, root: parent };
}

export function taskEntry(task: Task, roots: readonly string[]): TaskEntry {
  const pool = poolOf(task.source, roots);
  const firstLine = task.spec.instruction.trim().split('\n')[0] ?? '';
  return {
    key: keyOf(pool.root, task.spec.id),
    id: task.spec.id,
    pool: pool.name,
    category: task.spec.category ?? UNCATEGORIZED,
    format: task.format,
    source: task.source,
    difficulty: task.spec.difficulty,
    review: task.spec.review?.status ?? 'pending',
    title: firstLine.length > 120 ? `${firstLine.slice(0, 119)}…` : firstLine,
  };
}

export function matchesFilter(t: TaskEntry, filter: ReviewFilter): boolean {
  return filter === 'all' || t.review === filter;
}

/** Group into pools → categories → tasks, each level sorted by name; empty groups dropped. */
export function buildTaskTree(entries: readonly TaskEntry[], roots: readonly string[], filter: ReviewFilter = 'all'): PoolNode[] {
  const pools = new Map<string, { name: string; root: string; cats: Map<string, TaskEntry[]> }>();
  for (const t of entries) {
    if (!matchesFilter(t, filter)) continue;
    const p = poolOf(t.source, roots);
    let pool = pools.get(p.root);
    if (!pool) pools.set(p.root, (pool = { ...p, cats: new Map() }));
    const list = pool.cats.get(t.category) ?? [];
    list.push(t);
    pool.cats.set(t.category, list);
  }
  const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
  return [...pools.values()]
    .map((p) => {
      const categories = [...p.cats.entries()]
        .map(([name, tasks]) => ({ key: keyOf(p.root, name), name, tasks: tasks.sort((a, b) => a.id.localeCompare(b.id)) }))
        .sort((a, b) => (a.name === UNCATEGORIZED ? 1 : b.name === UNCATEGORIZED ? -1 : byName(a, b)));
      return { key: p.root, name: p.name, root: p.root, categories, count: categories.reduce((n, c) => n + c.tasks.length, 0) };
    })
    .sort(byName);
}

/** Tooltip-ish one-liner: where a task comes from, relative to a base folder when inside it. */
export function describeSource(t: TaskEntry, base?: string): string {
  const rel = base ? relative(base, t.source) : t.source;
  return `${t.format} · ${rel.startsWith('..') ? t.source : rel}`;
}
