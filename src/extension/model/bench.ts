/**
 * View model of the bench workflow: `bench check` results as problems with a place (bench.yaml's
 * entry of a changed or missing task, the file and line:column of a task that does not load), the
 * Bench view's summary of the built bench, and the progress lines `bench build` prints. Pure.
 */
import { isAbsolute, join, sep } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { BenchCheck } from '../../core/bench/check.js';
import { cliArgv, type CliLocation } from './cli.js';

export interface BenchProblem {
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based, like the CLI's file:line:column. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  kind: 'changed' | 'missing' | 'added' | 'unloadable' | 'manifest';
  taskId: string | null;
  message: string;
}

interface Place {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Where each task entry of bench.yaml is, and its `hash` and `path` values, by task id. */
function manifestPlaces(text: string): { tasksKey: Place | null; tasks: Map<string, { entry: Place; hash: Place | null; path: Place | null }> } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const place = (n: Node | null | undefined): Place | null => {
    if (!n?.range) return null;
    const a = lc.linePos(n.range[0]);
    const b = lc.linePos(n.range[1]);
    return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
  };
  const tasks = new Map<string, { entry: Place; hash: Place | null; path: Place | null }>();
  let tasksKey: Place | null = null;
  if (isMap(doc.contents)) {
    const pair = doc.contents.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'tasks');
    tasksKey = place(pair?.key as Node | undefined);
    const seq = pair?.value;
    if (isSeq(seq)) {
      for (const item of seq.items) {
        if (!isMap(item)) continue;
        const get = (k: string) => item.items.find((p) => (p.key as { value?: unknown } | null)?.value === k)?.value as Node | undefined;
        const id = (get('id') as { value?: unknown } | undefined)?.value;
        const entry = place(get('id') ?? item);
        if (typeof id === 'string' && entry) tasks.set(id, { entry, hash: place(get('hash')), path: place(get('path')) });
      }
    }
  }
  return { tasksKey, tasks };
}

const TOP: Place = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Every difference `bench check` found, placed in bench.yaml or in the file that does not load. */
export function benchProblems(check: BenchCheck, manifestText: string): BenchProblem[] {
  const places = manifestPlaces(manifestText);
  const at = (p: Place | null | undefined) => p ?? places.tasksKey ?? TOP;
  const out: BenchProblem[] = [];
  for (const t of check.changed) {
    const p = places.tasks.get(t.id);
    out.push({
      file: check.manifest,
      ...at(p?.hash ?? p?.entry),
      severity: 'error',
      kind: 'changed',
      taskId: t.id,
      message: `${t.id} changed since the bench was built (${t.path}: ${t.files.expected} → ${t.files.actual} files, content hash ${t.actual.slice(0, 19)}… ≠ ${t.expected.slice(0, 19)}…). Rebuild the bench or restore the task.`,
    });
  }
  for (const t of check.missing) {
    const p = places.tasks.get(t.id);
    out.push({ file: check.manifest, ...at(p?.path ?? p?.entry), severity: 'error', kind: 'missing', taskId: t.id, message: `${t.id} is missing: ${t.path} is not in the bench folder.` });
  }
  for (const t of check.added) {
    if (t.id !== null) {
      out.push({ file: check.manifest, ...at(places.tasksKey), severity: 'warning', kind: 'added', taskId: t.id, message: `${t.id} (${t.path}) is in the bench folder but not in bench.yaml.` });
      continue;
    }
    const problems = t.problems?.length ? t.problems : [{ file: t.path, line: 1, column: 1, message: t.problem ?? 'does not load as a task' }];
    for (const p of problems) {
      out.push({
        file: isAbsolute(p.file) ? p.file : join(check.bench, p.file),
        line: p.line,
        column: p.column,
        endLine: p.line,
        endColumn: p.column,
        severity: 'error',
        kind: 'unloadable',
        taskId: null,
        message: `not a loadable task, and not in bench.yaml: ${p.message}`,
      });
    }
  }
  return out;
}

/** bench.yaml itself could not be read: one problem at its top. */
export function manifestProblem(manifest: string, message: string): BenchProblem {
  return { file: manifest, ...TOP, severity: 'error', kind: 'manifest', taskId: null, message };
}

/** The one-line verdict the Bench view and the notification show. */
export function benchSummary(c: BenchCheck): { ok: boolean; label: string } {
  if (c.ok) return { ok: true, label: `matches bench.yaml: ${c.unchanged} of ${c.tasks} task${c.tasks === 1 ? '' : 's'} unchanged` };
  const parts = [c.changed.length && `${c.changed.length} changed`, c.missing.length && `${c.missing.length} missing`, c.added.length && `${c.added.length} added`].filter(Boolean);
  return { ok: false, label: `differs from bench.yaml: ${parts.join(', ')}; ${c.unchanged} of ${c.tasks} unchanged` };
}

/** A progress line of `bench build` on stderr ("nop-zero: 12 task(s)…"), or undefined. */
export function buildProgress(line: string): { step: string; tasks: number } | undefined {
  const m = /^([\w -]+): (\d+) task\(s\)…$/.exec(line.trim());
  return m ? { step: m[1]!, tasks: Number(m[2]) } : undefined;
}

export interface BenchBuildArgs {
  from: string[];
  out: string;
  size?: number;
  /** `oracle-pass,nop-zero`, `accepted`, `none`… as `--require` takes it. */
  require: string;
  sandbox: 'bwrap' | 'none';
  concurrency?: number;
}

export function benchBuildArgv(loc: CliLocation, a: BenchBuildArgs): string[] {
  const argv = [...cliArgv(loc), 'bench', 'build', '--from', ...new Set(a.from), '--out', a.out, '--require', a.require];
  if (a.size) argv.push('--size', String(a.size));
  if (a.sandbox !== 'bwrap') argv.push('--sandbox', a.sandbox);
  if (a.concurrency) argv.push('--concurrency', String(a.concurrency));
  return argv;
}

/** The pool a bench is built from: the task roots, less the bench folder itself (its tasks are copies). */
export function poolRoots(roots: readonly string[], benchDir: string): string[] {
  const inside = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
  return roots.filter((r) => !inside(r, benchDir));
}
