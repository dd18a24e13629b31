/**
 * Materialize task files into a trial folder without ever leaving it: relative paths only, no
 * `..`, never through a symlink that the task or an agent planted, symlinks in task folders kept
 * only when they point inside the folder they belong to, and everything given to the sandbox uid.
 * (Listing sets and copying them for save/export is task/fileset.ts; path rules are shared.)
 */
import { constants } from 'node:fs';
import { copyFile, lchown, lstat, mkdir, readdir, readlink, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ClawgymError } from '../errors.js';
import { isInsideDir, safeRelPath } from '../task/fileset.js';
import type { FileSet, Task } from '../task/task.js';

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * Make the parent folders of `root/rel`, refusing any existing component that is not a real
 * folder (a symlink placed by an agent would otherwise redirect our writes to the host).
 */
async function safeParents(root: string, rel: string, owner?: Owner): Promise<string> {
  const parts = rel.split('/');
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    cur = join(cur, part);
    const st = await lstat(cur).catch(() => null);
    if (!st) {
      await mkdir(cur);
      if (owner) await lchown(cur, owner.uid, owner.gid);
    } else if (!st.isDirectory()) {
      throw new ClawgymError('task', `"${relative(root, cur)}" is a ${st.isSymbolicLink() ? 'symlink' : 'file'}, not a folder`);
    }
  }
  return join(root, rel);
}

export interface CopyReport {
  files: number;
  skipped: string[];
}

/** A task's starting workspace in `dest` (made here): every file set in order, all given to the sandbox uid. */
export async function materializeWorkspace(task: Pick<Task, 'workspace'>, dest: string, owner?: Owner): Promise<void> {
  await mkdir(dest, { recursive: true });
  for (const set of task.workspace) await materializeFileSet(set, dest, owner);
  if (owner) await lchown(dest, owner.uid, owner.gid);
}

/** Copy one FileSet into `destRoot` (which must exist). Later sets overwrite earlier files. */
export async function materializeFileSet(set: FileSet, destRoot: string, owner?: Owner): Promise<CopyReport> {
  const report: CopyReport = { files: 0, skipped: [] };
  if (set.kind === 'dir') {
    const root = await realpath(set.root);
    await copyDir(root, root, destRoot, owner, report);
    return report;
  }
  for (const f of set.files) {
    const rel = safeRelPath(f.path);
    const dest = await safeParents(destRoot, rel, owner);
    await rm(dest, { force: true, recursive: true });
    if (f.content !== undefined) await writeFile(dest, f.content, { mode: f.mode ?? 0o644 });
    else if (f.from) await copyFile(f.from, dest, constants.COPYFILE_FICLONE);
    else throw new ClawgymError('task', `file "${rel}" has neither content nor source`);
    if (owner) await lchown(dest, owner.uid, owner.gid);
    report.files++;
  }
  return report;
}

async function copyDir(root: string, src: string, dest: string, owner: Owner | undefined, report: CopyReport): Promise<void> {
  for (const d of await readdir(src, { withFileTypes: true })) {
    const s = join(src, d.name);
    const t = join(dest, d.name);
    if (d.isDirectory()) {
      await mkdir(t, { recursive: true });
      if (owner) await lchown(t, owner.uid, owner.gid);
      await copyDir(root, s, t, owner, report);
    } else if (d.isFile()) {
      await copyFile(s, t, constants.COPYFILE_FICLONE);
      if (owner) await lchown(t, owner.uid, owner.gid);
      report.files++;
    } else if (d.isSymbolicLink()) {
      // Keep a link only if it stays inside the folder it came from; otherwise it could expose host files.
      const target = await readlink(s);
      const resolved = resolve(dirname(s), target);
      const real = await realpath(s).catch(() => resolved);
      if (!isAbsolute(target) && isInsideDir(root, resolved) && isInsideDir(root, real)) {
        await symlink(target, t);
        if (owner) await lchown(t, owner.uid, owner.gid);
      } else {
        report.skipped.push(`${relative(root, s)} (symlink to ${target} leaves the task folder)`);
      }
    }
  }
}

/**
 * Put hidden verifier files at `relDir` inside a workspace after the agent ran: whatever the agent
 * left at that path (a file, a folder, a symlink) is removed first, and parents must be real folders.
 */
export async function placeHiddenFiles(set: FileSet, workspace: string, relDir: string, owner?: Owner): Promise<CopyReport> {
  const rel = relDir === '.' || relDir === '' ? '' : safeRelPath(relDir, 'tests_mount');
  let dest = workspace;
  if (rel) {
    // Parents must be real folders; the destination itself is replaced whatever it is (rm does not follow a symlink).
    dest = await safeParents(workspace, rel, owner);
    await rm(dest, { recursive: true, force: true });
    await mkdir(dest);
    if (owner) await lchown(dest, owner.uid, owner.gid);
  }
  return materializeFileSet(set, dest, owner);
}

/**
 * mkdir -p whose new folders belong to `owner`: a folder the sandbox uid must reach (hidden tests,
 * grade runner, Harbor logs) cannot depend on the umask (CI runners often use 077).
 */
export async function makeDirFor(dir: string, owner?: Owner): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (!owner || !first) return;
  for (let d = dir; ; d = dirname(d)) {
    await lchown(d, owner.uid, owner.gid);
    if (d === first || d === dirname(d)) break;
  }
}

/** Give every file of a tree to `owner` (without following symlinks). */
export async function chownTree(root: string, owner: Owner): Promise<void> {
  await lchown(root, owner.uid, owner.gid);
  for (const d of await readdir(root, { withFileTypes: true })) {
    const p = join(root, d.name);
    if (d.isDirectory()) await chownTree(p, owner);
    else await lchown(p, owner.uid, owner.gid);
  }
}
