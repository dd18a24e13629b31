/** The native format: `<id>/task.yaml`, `workspace/`, `solution/`, `tests/`. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskLoadError, type SourcePosition, type TaskProblem } from '../errors.js';
import type { FormatAdapter } from './adapter.js';
import { parseYamlDocLenient, positionOf, schemaProblems, type PositionedDoc } from './positions.js';
import { TaskSpec } from './schema.js';
import type { Task } from './task.js';

export const TASK_FILE = 'task.yaml';

/** Parse and validate task.yaml text; every problem carries file:line:column. */
export function parseTaskYaml(text: string, file: string): { spec: TaskSpec; doc: PositionedDoc } {
  const { doc, spec, problems } = checkTaskYaml(text, file);
  if (problems.length || !spec) throw new TaskLoadError(problems);
  return { spec, doc };
}

/**
 * Everything wrong with task.yaml text, without throwing: YAML syntax first (a broken document is
 * not validated further), then schema and semantic problems together. The document is returned
 * even when broken: the language server completes and hovers on it.
 */
export function checkTaskYaml(text: string, file: string): { doc: PositionedDoc; spec?: TaskSpec; problems: TaskProblem[] } {
  const { pd: doc, problems: syntax } = parseYamlDocLenient(text, file);
  if (syntax.length) return { doc, problems: syntax };
  const data: unknown = doc.doc.toJS();
  const { data: spec, problems } = schemaProblems(doc, TaskSpec, data ?? null);
  return { doc, spec, problems: [...problems, ...semanticProblems(doc, data)] };
}

/**
 * Rules zod cannot say alone: unique check ids. Read from the raw document, so that a duplicate is
 * reported together with any schema problem elsewhere.
 */
function semanticProblems(doc: PositionedDoc, data: unknown): TaskProblem[] {
  const checks = (data as { verify?: { checks?: unknown } } | null)?.verify?.checks;
  if (!Array.isArray(checks)) return [];
  const seen = new Map<string, number>();
  const problems: TaskProblem[] = [];
  checks.forEach((c: unknown, i) => {
    if (c === null || typeof c !== 'object') return;
    const { id, type } = c as { id?: unknown; type?: unknown };
    const key = typeof id === 'string' ? id : typeof type === 'string' ? `${type}_${i + 1}` : undefined; // as checkIds() defaults them
    if (key === undefined) return;
    if (seen.has(key)) {
      problems.push({
        ...positionOf(doc, ['verify', 'checks', i, 'id']),
        message: `verify.checks.${i}.id: duplicate check id "${key}" (first used by check ${seen.get(key)! + 1})`,
        code: 'duplicate_id',
        path: ['verify', 'checks', i, 'id'],
      });
    } else seen.set(key, i);
  });
  return problems;
}

/**
 * Where each check is written in task.yaml, by check id (ids defaulted as `checkIds` does): the
 * line a test message or the Verification view points the author at. Lenient: a document with
 * problems still gives the positions of the checks it has.
 */
export function checkPositions(text: string, file: string): Map<string, SourcePosition> {
  const { pd: doc } = parseYamlDocLenient(text, file);
  const out = new Map<string, SourcePosition>();
  const checks = (doc.doc.toJS() as { verify?: { checks?: unknown } } | null)?.verify?.checks;
  if (!Array.isArray(checks)) return out;
  checks.forEach((c: unknown, i) => {
    if (c === null || typeof c !== 'object') return;
    const { id, type } = c as { id?: unknown; type?: unknown };
    const key = typeof id === 'string' ? id : typeof type === 'string' ? `${type}_${i + 1}` : undefined;
    if (key === undefined || out.has(key)) return;
    const at = positionOf(doc, ['verify', 'checks', i]);
    out.set(key, { file: at.file, line: at.line, column: at.column });
  });
  return out;
}

export function nativeTaskFromDir(dir: string, spec: TaskSpec): Task {
  const ws = join(dir, 'workspace');
  const tests = join(dir, 'tests');
  const solution = join(dir, 'solution');
  return {
    spec,
    format: 'native',
    source: dir,
    workspace: existsSync(ws) ? [{ kind: 'dir', root: ws }] : [],
    tests: existsSync(tests) ? { kind: 'dir', root: tests } : undefined,
    solution: existsSync(solution) ? { kind: 'dir', root: solution } : undefined,
    warnings: [],
  };
}

export const nativeAdapter: FormatAdapter = {
  format: 'native',
  isTaskDir: (_dir, entries) => entries.has(TASK_FILE),
  isTaskFile: (file) => file.endsWith(`/${TASK_FILE}`) || file === TASK_FILE,
  async load(path) {
    const dir = path.endsWith(TASK_FILE) ? path.slice(0, -TASK_FILE.length - 1) || '.' : path;
    const file = join(dir, TASK_FILE);
    const { spec } = parseTaskYaml(await readFile(file, 'utf8'), file);
    return [nativeTaskFromDir(dir, spec)];
  },
};
