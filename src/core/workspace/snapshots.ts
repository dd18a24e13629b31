/**
 * Git snapshots of a trial's workspace, kept OUTSIDE it (`<trial>/snapshots.git`, the workspace as
 * work tree) so the agent can neither see nor damage them. One commit per step that changed files;
 * any two steps' diff is a plain `git --git-dir <trial>/snapshots.git diff <a> <b>`.
 * The git dir stores no work-tree path, so it stays valid when the trial folder is moved.
 */
import { mkdir } from 'node:fs/promises';
import { simpleGit, type SimpleGit } from 'simple-git';
import { HarnessError, errorMessage } from '../errors.js';

export interface Snapshot {
  commit: string;
  /** Paths (relative to the workspace) that differ from the previous snapshot. */
  changed: string[];
}

export class WorkspaceSnapshots {
  private head: string | null = null;
  private tree: string | null = null;

  private constructor(private readonly git: SimpleGit) {}

  static async create(gitDir: string, workTree: string): Promise<WorkspaceSnapshots> {
    await mkdir(gitDir, { recursive: true });
    try {
      // Bare, initialised without a work tree: nothing in its config points at the workspace.
      await simpleGit({ baseDir: gitDir }).raw(['init', '--bare', '--quiet', gitDir]);
    } catch (e) {
      throw new HarnessError(`cannot create workspace snapshots in ${gitDir}: ${errorMessage(e)}`);
    }
    const git = simpleGit({
      baseDir: workTree,
      // The workspace belongs to the sandbox uid when we run as root: trust it explicitly.
      config: ['safe.directory=*', 'core.autocrlf=false', 'core.quotePath=false', 'gc.auto=0', 'user.name=clawgym', 'user.email=clawgym@localhost'],
    }).env({ ...process.env, GIT_DIR: gitDir, GIT_WORK_TREE: workTree, GIT_TERMINAL_PROMPT: '0' });
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
}
