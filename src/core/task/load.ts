/**
 * Find and load tasks of every format under the given paths. A path is one task (a folder or a
 * file) or a folder of tasks, searched recursively. One bad task never stops the others: its error
 * is collected with file:line:column and loading goes on.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import pLimit from 'p-limit';
import { ClawgymError, TaskLoadError, errorMessage } from '../errors.js';
import type { FormatAdapter } from './adapter.js';
import { clawgymAdapter } from './clawgym.js';
import { harborAdapter } from './harbor.js';
import { nativeAdapter } from './native.js';
import { pinchbenchAdapter } from './pinchbench.js';
import { syndataAdapter } from './syndata.js';
import type { Task } from './task.js';

/** Order matters: a folder with task.yaml is native even if it also has other files. */
export const ADAPTERS: readonly FormatAdapter[] = [
  nativeAdapter,
  clawgymAdapter,
  harborAdapter,
  pinchbenchAdapter,
  syndataAdapter,
];

const SKIP_DIRS = new Set(['node_modules', '.git', '.svn', '.hg', '__pycache__']);

export interface LoadResult {
  tasks: Task[];
  errors: TaskLoadError[];
}

type Found = { path: string; adapter: FormatAdapter };

async function findTaskLocations(root: string, explicit: boolean, out: Found[], errors: TaskLoadError[]): Promise<void> {
  let st;
  try {
    st = await stat(root);
  } catch {
    errors.push(new TaskLoadError([{ file: root, message: 'no such file or folder' }]));
    return;
  }
  if (st.isFile()) {
    for (const adapter of ADAPTERS) {
      if (adapter.isTaskFile && (await adapter.isTaskFile(root, explicit))) {
        out.push({ path: root, adapter });
        return;
      }
    }
    if (explicit) errors.push(new TaskLoadError([{ file: root, message: 'not a task file of any known format' }]));
    return;
  }
  if (!st.isDirectory()) return;
  const dirents = await readdir(root, { withFileTypes: true });
  const names = new Set(dirents.map((d) => d.name));
  for (const adapter of ADAPTERS) {
    if (adapter.isTaskDir?.(root, names)) {
      out.push({ path: root, adapter });
      return;
    }
  }
  // Sorted so that task order (and so run order and reports) is stable across machines.
  for (const d of dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (d.name.startsWith('.') || SKIP_DIRS.has(d.name)) continue;
    const p = join(root, d.name);
    if (d.isDirectory()) await findTaskLocations(p, false, out, errors);
    else if (d.isFile()) {
      for (const adapter of ADAPTERS) {
        if (adapter.isTaskFile && (await adapter.isTaskFile(p, false))) {
          out.push({ path: p, adapter });
          break;
        }
      }
    }
  }
}

export async function loadTasks(paths: readonly string[]): Promise<LoadResult> {
  const found: Found[] = [];
  const errors: TaskLoadError[] = [];
  for (const p of paths) await findTaskLocations(resolve(p), true, found, errors);
  const limit = pLimit(32);
  const loaded = await Promise.all(
    found.map(({ path, adapter }) =>
      limit(async () => {
        try {
          return await adapter.load(path);
        } catch (e) {
          const err = asLoadError(e, path);
          err.source ??= path;
          err.format ??= adapter.format;
          errors.push(err);
          return [];
        }
      }),
    ),
  );
  const tasks: Task[] = [];
  const byId = new Map<string, Task>();
  for (const t of loaded.flat()) {
    const prev = byId.get(t.spec.id);
    if (prev) {
      errors.push(
        new TaskLoadError([{ file: t.source, message: `duplicate task id "${t.spec.id}" (also at ${prev.source})` }], t.source),
      );
      continue;
    }
    byId.set(t.spec.id, t);
    tasks.push(t);
  }
  return { tasks, errors };
}

/** Load exactly one task from a path, or throw. */
export async function loadOneTask(path: string): Promise<Task> {
  const { tasks, errors } = await loadTasks([path]);
  if (errors.length) throw errors[0];
  if (tasks.length !== 1) {
    throw new TaskLoadError([{ file: path, message: tasks.length ? `holds ${tasks.length} tasks, expected one` : 'no task found' }]);
  }
  return tasks[0]!;
}

function asLoadError(e: unknown, path: string): TaskLoadError {
  if (e instanceof TaskLoadError) return e;
  const msg = e instanceof ClawgymError ? e.message : errorMessage(e);
  return new TaskLoadError([{ file: path, message: msg }]);
}

export function taskLabel(t: Task): string {
  return `${t.spec.id} (${t.format}: ${basename(t.source)})`;
}
