/**
 * `clawgym bench check`: recompute every task's content hash and compare with bench.yaml. Reports
 * each task changed (hash differs), missing (its folder is gone) or added (a task in the bench
 * folder the manifest does not name — loadable or not).
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { z } from 'zod';
import { loadTasks } from '../task/load.js';
import { terminalSafe } from '../runs/report.js';
import { hashFolder } from './hash.js';
import { BENCH_FILE, readManifest } from './manifest.js';

export const BenchCheck = z.object({
  bench: z.string(),
  manifest: z.string(),
  ok: z.boolean(),
  tasks: z.number().int(),
  unchanged: z.number().int(),
  changed: z.array(z.object({ id: z.string(), path: z.string(), expected: z.string(), actual: z.string(), files: z.object({ expected: z.number().int(), actual: z.number().int() }) })),
  missing: z.array(z.object({ id: z.string(), path: z.string() })),
  /** id null: a folder that does not load as a task (the problem says why). */
  added: z.array(
    z.object({
      id: z.string().nullable(),
      path: z.string(),
      problem: z.string().optional(),
      /** Every problem of a folder that does not load, with its place (file relative to the bench; line and column 1-based). */
      problems: z.array(z.object({ file: z.string(), line: z.number().int(), column: z.number().int(), message: z.string() })).optional(),
    }),
  ),
});
export type BenchCheck = z.infer<typeof BenchCheck>;

/** A path inside the bench, relative to it and `/`-separated (as manifest paths are written). */
function benchPath(benchDir: string, path: string): string {
  return relative(benchDir, path).split(sep).join('/');
}

export async function checkBench(dirArg: string): Promise<BenchCheck> {
  const dir = resolve(dirArg);
  const manifest = await readManifest(dir);
  const result: BenchCheck = { bench: dir, manifest: join(dir, BENCH_FILE), ok: true, tasks: manifest.tasks.length, unchanged: 0, changed: [], missing: [], added: [] };
  const limit = pLimit(8);
  await Promise.all(
    manifest.tasks.map((t) =>
      limit(async () => {
        const folder = join(dir, t.path);
        if (!existsSync(folder)) {
          result.missing.push({ id: t.id, path: t.path });
          return;
        }
        const now = await hashFolder(folder);
        if (now.hash === t.hash) result.unchanged++;
        else result.changed.push({ id: t.id, path: t.path, expected: t.hash, actual: now.hash, files: { expected: t.files, actual: now.files } });
      }),
    ),
  );
  // Anything that looks like a task and lives outside every manifest folder was added.
  const known = manifest.tasks.map((t) => join(dir, t.path));
  const isKnown = (p: string) => known.some((k) => p === k || p.startsWith(k + sep));
  const { tasks, errors } = await loadTasks([dir]);
  for (const t of tasks) if (!isKnown(t.source)) result.added.push({ id: t.spec.id, path: benchPath(dir, t.source) });
  for (const e of errors) {
    if (isKnown(e.file)) continue;
    const more = e.problems.length - 1;
    result.added.push({
      id: null,
      path: benchPath(dir, e.file),
      problem: `${e.problems[0]?.message ?? 'does not load'}${more > 0 ? ` (+${more} more problem${more === 1 ? '' : 's'})` : ''}`,
      problems: e.problems.map((p) => ({ file: benchPath(dir, p.file), line: p.line ?? 1, column: p.column ?? 1, message: p.message })),
    });
  }
  const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  result.changed.sort(byPath);
  result.missing.sort(byPath);
  result.added.sort(byPath);
  result.ok = !result.changed.length && !result.missing.length && !result.added.length;
  return result;
}

export function formatBenchCheck(c: BenchCheck): string {
  const lines: string[] = [];
  const s = (x: string) => terminalSafe(x);
  for (const t of c.changed) lines.push(`changed  ${s(t.id)}  (${s(t.path)}: ${t.files.expected} → ${t.files.actual} files, ${t.expected.slice(0, 19)}… → ${t.actual.slice(0, 19)}…)`);
  for (const t of c.missing) lines.push(`missing  ${s(t.id)}  (${s(t.path)})`);
  for (const t of c.added) lines.push(`added    ${t.id === null ? '(not a loadable task)' : s(t.id)}  (${s(t.path)}${t.problem ? `: ${s(t.problem)}` : ''})`);
  lines.push(
    c.ok
      ? `bench matches its manifest: ${c.unchanged} of ${c.tasks} task(s) unchanged`
      : `bench differs from its manifest: ${c.changed.length} changed, ${c.missing.length} missing, ${c.added.length} added; ${c.unchanged} of ${c.tasks} unchanged`,
  );
  return lines.join('\n');
}
