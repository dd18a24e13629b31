/**
 * Read workspace files on the host for declarative checks. The agent controls the workspace, so a
 * path is only read if it resolves (symlinks followed) inside the workspace: a link to a host file
 * reads as "outside the workspace", never as that file's content.
 */
import { open, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isInsideDir } from '../task/fileset.js';

export type FileRead = { ok: true; data: Buffer } | { ok: false; reason: string };

export class WorkspaceReader {
  private rootReal?: Promise<string>;
  constructor(readonly root: string) {}

  private real(): Promise<string> {
    this.rootReal ??= realpath(this.root);
    return this.rootReal;
  }

  /** Resolve `rel` safely; null if it does not exist or escapes the workspace. */
  async resolve(rel: string): Promise<{ path: string } | { reason: string }> {
    const root = await this.real();
    const p = join(root, rel);
    let real: string;
    try {
      real = await realpath(p);
    } catch {
      return { reason: `${rel} does not exist` };
    }
    if (!isInsideDir(root, real)) return { reason: `${rel} resolves outside the workspace` };
    return { path: real };
  }

  async exists(rel: string): Promise<boolean> {
    return 'path' in (await this.resolve(rel));
  }

  async read(rel: string, maxBytes = 64 * 1024 * 1024): Promise<FileRead> {
    const r = await this.resolve(rel);
    if (!('path' in r)) return { ok: false, reason: r.reason };
    const st = await stat(r.path);
    if (!st.isFile()) return { ok: false, reason: `${rel} is not a file` };
    if (st.size > maxBytes) return { ok: false, reason: `${rel} is larger than ${maxBytes} bytes` };
    return { ok: true, data: await readFile(r.path) };
  }

  /** At most the first `maxBytes` of a file, and its whole size (for showing a capped excerpt). */
  async readHead(rel: string, maxBytes: number): Promise<{ ok: true; data: Buffer; size: number } | { ok: false; reason: string }> {
    const r = await this.resolve(rel);
    if (!('path' in r)) return { ok: false, reason: r.reason };
    // stat before open: opening a FIFO the agent left would block.
    const st = await stat(r.path);
    if (!st.isFile()) return { ok: false, reason: `${rel} is not a file` };
    const f = await open(r.path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(maxBytes, st.size));
      const { bytesRead } = await f.read(buf, 0, buf.length, 0);
      return { ok: true, data: buf.subarray(0, bytesRead), size: st.size };
    } finally {
      await f.close();
    }
  }

  async readText(rel: string): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
    const r = await this.read(rel);
    return r.ok ? { ok: true, text: r.data.toString('utf8') } : r;
  }

  /** Every file below the root, as relative paths, skipping the given top-level folders. */
  async list(skip: ReadonlySet<string> = new Set()): Promise<string[]> {
    const root = await this.real();
    const out: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const d of await readdir(dir, { withFileTypes: true })) {
        const p = join(dir, d.name);
        const rel = relative(root, p).split(sep).join('/');
        if (skip.has(rel)) continue;
        if (d.isDirectory()) await walk(p);
        else out.push(rel);
      }
    };
    await walk(root);
    return out.sort();
  }
}
