/**
 * What pool tools need to know about a task, whatever its format: its family, route, category,
 * difficulty, and its workspace as one text (for duplicate detection).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { listFileSet } from '../../task/fileset.js';
import type { Task } from '../../task/task.js';

export interface TaskFacts {
  id: string;
  category: string;
  family: string;
  route: string;
  difficulty: string;
}

/**
 * The family: the generator named in provenance (without its @version), else the procedural tag
 * after "procedural", else the task's format (imported tasks have no family).
 */
export function familyOf(task: Task): string {
  const gen = task.spec.provenance?.generator;
  if (gen) return gen.replace(/@[^@]*$/, '');
  const tags = task.spec.tags ?? [];
  const i = tags.indexOf('procedural');
  if (i >= 0 && tags[i + 1]) return tags[i + 1]!;
  return `(${task.format})`;
}

export function factsOf(task: Task): TaskFacts {
  const s = task.spec;
  return {
    id: s.id,
    category: s.category ?? '(none)',
    family: familyOf(task),
    route: s.provenance?.route ?? (task.format === 'native' ? 'manual' : 'imported'),
    difficulty: s.difficulty === undefined ? '(none)' : String(s.difficulty),
  };
}

/** Bytes of each file that count for similarity: enough to tell data apart, bounded for speed. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * The workspace as one text: each file as its path then its content (binary files as a digest),
 * in path order. Identical workspaces give identical texts.
 */
export async function workspaceText(task: Task): Promise<string> {
  const parts: string[] = [];
  for (const set of task.workspace) {
    for (const f of await listFileSet(set)) {
      const buf = f.content !== undefined ? Buffer.from(f.content) : await readFile(f.from!);
      const head = buf.subarray(0, MAX_FILE_BYTES);
      const binary = head.subarray(0, 8192).includes(0);
      parts.push(`${f.path}\n${binary ? `binary ${createHash('sha1').update(buf).digest('hex')}` : head.toString('utf8')}\n`);
    }
  }
  return parts.join('');
}

export function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
