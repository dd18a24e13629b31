/**
 * The file system as the language server's analysis sees it. The analysis only asks these two
 * questions, so unit tests answer them from memory and the server from the disk.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface FsView {
  /** What is at an absolute path. */
  kind(path: string): 'file' | 'dir' | undefined;
  /**
   * Everything under `dir`, recursively: paths relative to `dir` with `/` separators, folders with a
   * trailing `/`, breadth first (shallow entries before deep ones) and sorted within a folder; at
   * most `limit` entries. Empty when `dir` does not exist.
   */
  list(dir: string, limit: number): string[];
}

/** Folders never worth offering inside a workspace. */
const SKIP = new Set(['.git', 'node_modules', '__pycache__']);

export const nodeFs: FsView = {
  kind(path) {
    try {
      const st = statSync(path);
      return st.isDirectory() ? 'dir' : 'file';
    } catch {
      return undefined;
    }
  },
  list(dir, limit) {
    const out: string[] = [];
    const queue = [''];
    while (queue.length && out.length < limit) {
      const rel = queue.shift()!;
      let entries;
      try {
        entries = readdirSync(join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
      } catch {
        continue;
      }
      for (const e of entries) {
        if (out.length >= limit) break;
        const p = rel + e.name;
        if (e.isDirectory()) {
          if (SKIP.has(e.name)) continue;
          out.push(`${p}/`);
          queue.push(`${p}/`);
        } else out.push(p);
      }
    }
    return out;
  },
};
