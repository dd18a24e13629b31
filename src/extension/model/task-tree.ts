/**
 * View model of the Tasks and Bench views and of the Test Explorer's items: tasks grouped by pool
 * (the task root they were found under) and category, filtered by review status. Pure: no vscode.
 */
import { basename, dirname, relative, sep } from 'node:path';
import type { TaskLoadError, TaskProblem } from '../../core/errors.js';
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
  /** The task's title (task.yaml `title`; other formats: the instruction's first line). */
  title: string;
  /**
   * Why the task did not load (empty for a task that did): it stays in the views as an error
   * node, under the same key, so it comes back in place once fixed.
   */
  problems: ProblemView[];
}

/** One load problem of a broken task, where an editor can show it (1-based line and column). */
export interface ProblemView {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export const isBroken = (t: Pick<TaskEntry, 'problems'>): boolean => t.problems.length > 0;

/**
 * The file that defines the task in its own format — what "Open Task File" opens: task.yaml
 * (native), data_entry.json (ClawGym), task.toml (Harbor), the task's .md (PinchBench) or .jsonl.
 */
export function taskFileOf(t: Pick<TaskEntry, 'format' | 'source'>): string {
  switch (t.format) {
    case 'native':
      return `${t.source}${sep}task.yaml`;
    case 'clawgym':
      return `${t.source}${sep}data_entry.json`;
    case 'harbor':
      return `${t.source}${sep}task.toml`;
    default:
      return t.source;
  }
}

/** Difficulty in words (task.yaml's 1–5), for rows and tooltips. */
export const DIFFICULTY_WORDS: Readonly<Record<number, string>> = { 1: 'very easy', 2: 'easy', 3: 'medium', 4: 'hard', 5: 'very hard' };

export function difficultyLabel(d: number | undefined): string | undefined {
  return d === undefined ? undefined : (DIFFICULTY_WORDS[d] ?? `difficulty ${d}`);
}

export function difficultyTooltip(d: number | undefined): string | undefined {
  return d === undefined ? undefined : `Difficulty ${d} of 5 (${difficultyLabel(d)}), from task.yaml's \`difficulty\`: 1 is the easiest, 5 the hardest.`;
}

/** "12:5 message" — a problem as a row label. */
export function problemLabel(p: ProblemView): string {
  return p.line ? `${p.line}:${p.column ?? 1} ${p.message}` : p.message;
}

/** What a broken task's raw file still says (read leniently by the host): id, title, category. */
export interface RawTaskFields {
  id?: string;
  title?: string;
  category?: string;
  format: TaskFormat;
}

/**
 * The error node of a task that did not load: its id, title and category from what its file still
 * says (else the folder's name), its problems with positions. `source` is the task's folder (or file).
 */
export function brokenEntry(source: string, error: Pick<TaskLoadError, 'problems'>, raw: RawTaskFields, roots: readonly string[]): TaskEntry {
  const pool = poolOf(source, roots);
  const id = raw.id?.trim() || basename(source).replace(/\.md$/, '');
  return {
    key: keyOf(pool.root, id),
    id,
    pool: pool.name,
    category: raw.category?.trim() || UNCATEGORIZED,
    format: raw.format,
    source,
    review: 'pending',
    title: raw.title?.trim() || id,
    problems: error.problems.map((p: TaskProblem) => ({ file: p.file, line: p.line, column: p.column, message: p.message })),
  };
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
  const firstLine = (task.spec.title?.trim() || task.spec.instruction.trim().split('\n')[0]) ?? '';
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
    problems: [],
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
