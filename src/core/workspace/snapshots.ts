/**
 * Git snapshots of a trial's workspace, kept OUTSIDE it (`<trial>/snapshots.git`, the workspace as
 * work tree) so the agent can neither see nor damage them. One commit per step that changed files;
 * any two steps' diff is a plain `git --git-dir <trial>/snapshots.git diff <a> <b>`.
 * The git dir stores no work-tree path, so it stays valid when the trial folder is moved.
 * `WorkspaceSnapshots.open` reads an existing one (the trajectory debugger: files at a step,
 * what a step changed, the list of snapshots) without a work tree.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { HarnessError, errorMessage } from '../errors.js';

export interface Snapshot {
  commit: string;
  /** Paths (relative to the workspace) that differ from the previous snapshot. */
  changed: string[];
}

/** A snapshot as read back from the repository: its commit and the agent step it was taken after. */
export interface RecordedSnapshot {
  commit: string;
  /** The agent step (model call) it was taken after; 0 for the workspace as materialized. */
  step: number | null;
  subject: string;
}

/**
 * The environment for our own git: no inherited GIT_* variable (run from a git hook or another
 * tool, GIT_DIR or GIT_INDEX_FILE would point our commands at someone else's repository),
 * no user or system config (snapshots must not depend on the host), our repository named explicitly.
 */
function gitEnv(repo?: { gitDir: string; workTree: string }): Record<string, string> {
  // An allowlist, not the whole environment: simple-git refuses to run with EDITOR, PAGER, *_ASKPASS
  // and the like set (npm run exports EDITOR), and none of them has any business here.
  const env: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR']) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  Object.assign(env, { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' });
  if (repo) Object.assign(env, { GIT_DIR: repo.gitDir, GIT_WORK_TREE: repo.workTree, GIT_INDEX_FILE: join(repo.gitDir, 'index') });
  return env;
}

/** simple-git refuses GIT_CONFIG_GLOBAL unless told: ours is always /dev/null, set by gitEnv. */
const UNSAFE = { allowUnsafeConfigPaths: true } as const;

export class WorkspaceSnapshots {
  private head: string | null = null;
  private tree: string | null = null;

  private constructor(private readonly git: SimpleGit) {}

  static async create(gitDir: string, workTree: string): Promise<WorkspaceSnapshots> {
    await mkdir(gitDir, { recursive: true });
    try {
      // Bare, initialised without a work tree: nothing in its config points at the workspace.
      await simpleGit({ baseDir: gitDir, unsafe: UNSAFE }).env(gitEnv()).raw(['init', '--bare', '--quiet', gitDir]);
    } catch (e) {
      throw new HarnessError(`cannot create workspace snapshots in ${gitDir}: ${errorMessage(e)}`);
    }
    const git = simpleGit({
      baseDir: workTree,
      unsafe: UNSAFE,
      // The workspace belongs to the sandbox uid when we run as root: trust it explicitly.
      config: ['safe.directory=*', 'core.autocrlf=false', 'core.quotePath=false', 'gc.auto=0', 'user.name=clawgym', 'user.email=clawgym@localhost'],
    }).env(gitEnv({ gitDir, workTree }));
    return new WorkspaceSnapshots(git);
  }

  /** Commit the workspace if it changed since the last snapshot; null when nothing changed. */
  async take(message: string): Promise<Snapshot | null> {
    await this.git.raw(['add', '--all', '--force']);
    const tree = (await this.git.raw(['write-tree'])).trim();
    if (tree === this.tree) return null;
    const args = ['commit-tree', tree, '-m', message];
    if (this.head) args.push('-p', this.head);
    const commit = (await this.git.raw(args)).trim();
    const changed = this.tree ? (await this.git.raw(['diff-tree', '-r', '--name-only', '--no-commit-id', this.tree, tree])).split('\n').filter(Boolean) : [];
    await this.git.raw(['update-ref', 'HEAD', commit]);
    this.head = commit;
    this.tree = tree;
    return { commit, changed };
  }

  /** Unified diff between two snapshots (commit ids). */
  diff(from: string, to: string): Promise<string> {
    return this.git.raw(['diff', from, to]);
  }

  /** Read an existing snapshot repository (no work tree: nothing can be committed through it). */
  static open(gitDir: string): WorkspaceSnapshots {
    const git = simpleGit({ baseDir: gitDir, unsafe: UNSAFE, config: ['safe.directory=*', 'core.quotePath=false'] }).env({ ...gitEnv(), GIT_DIR: gitDir });
    return new WorkspaceSnapshots(git);
  }

  /** Every snapshot, oldest first; `step` comes from the commit message ("step N…"). Empty when there are none. */
  async list(): Promise<RecordedSnapshot[]> {
    let out: string;
    try {
      out = await this.git.raw(['log', '--reverse', '--format=%H %s', 'HEAD']);
    } catch {
      return []; // no HEAD yet
    }
    return out
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const sp = l.indexOf(' ');
        const subject = l.slice(sp + 1);
        const m = /^step (\d+)\b/.exec(subject);
        return { commit: l.slice(0, sp), step: m ? Number(m[1]) : null, subject };
      });
  }

  /** Paths that differ between two snapshots. */
  async changed(from: string, to: string): Promise<string[]> {
    if (from === to) return [];
    return (await this.git.raw(['diff-tree', '-r', '--name-only', '--no-commit-id', from, to])).split('\n').filter(Boolean);
  }

  /** A file's bytes at a snapshot; null when the file is not in it (added or deleted around it). */
  async show(commit: string, path: string): Promise<Buffer | null> {
    if (!/^[0-9a-f]{4,64}$/i.test(commit)) throw new HarnessError(`not a commit id: ${commit}`);
    const spec = `${commit}:${path.replace(/^\.?\//, '')}`;
    try {
      const kind = (await this.git.raw(['cat-file', '-t', spec])).trim();
      if (kind !== 'blob') return null;
    } catch {
      return null;
    }
    return this.git.showBuffer([spec]);
  }
}
