/** Comparing folders on disk, byte for byte. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Relative paths of the regular files under `dir` (symlinks and folders left out), sorted. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/** Differences between two folders' files, as readable lines; empty when they are equal. */
export function diffFolders(expected: string, actual: string): string[] {
  const a = listFiles(expected);
  const b = new Set(listFiles(actual));
  const out: string[] = [];
  for (const f of a) {
    if (!b.has(f)) out.push(`missing: ${f}`);
    else if (!readFileSync(join(expected, f)).equals(readFileSync(join(actual, f)))) out.push(`differs: ${f}`);
    b.delete(f);
  }
  for (const f of b) out.push(`extra: ${f}`);
  return out;
}
