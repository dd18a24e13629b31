/**
 * Read-only documents of a trial's workspace snapshots: `clawgym-snapshot:/<path>?repo=…&commit=…`
 * is the file `<path>` as it was in snapshot `<commit>` of the repository `<repo>/snapshots.git`
 * (empty when the file is not in that snapshot). The trajectory debugger opens two of them in
 * `vscode.diff` for a step's change.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorMessage } from '../core/errors.js';
import { TRIAL_FILES } from '../core/runs/folder.js';
import { WorkspaceSnapshots } from '../core/workspace/snapshots.js';

export const SNAPSHOT_SCHEME = 'clawgym-snapshot';

/** The URI of `path` at `commit` (null: before any snapshot, an empty document). */
export function snapshotUri(gitDir: string, commit: string | null, path: string, label: string): vscode.Uri {
  const query = new URLSearchParams({ repo: gitDir, commit: commit ?? '', label }).toString();
  return vscode.Uri.from({ scheme: SNAPSHOT_SCHEME, path: `/${path.replace(/^\/+/, '')}`, query });
}

/** Binary content is shown as a one-line note (a NUL byte in the first 8 KiB, as git decides). */
function asText(buf: Buffer): string {
  return buf.subarray(0, 8192).includes(0) ? `(binary file, ${buf.length} bytes)\n` : buf.toString('utf8');
}

export class SnapshotDocuments implements vscode.TextDocumentContentProvider {
  private readonly repos = new Map<string, WorkspaceSnapshots>();

  constructor(private readonly log: vscode.LogOutputChannel) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = new URLSearchParams(uri.query);
    const repo = q.get('repo') ?? '';
    const commit = q.get('commit') ?? '';
    const path = uri.path.replace(/^\/+/, '');
    // Only trial snapshot repositories, never an arbitrary git directory named in a link.
    if (basename(repo) !== TRIAL_FILES.snapshots) throw new Error(`not a ClawGym snapshot repository: ${repo}`);
    if (!commit) return '';
    let r = this.repos.get(repo);
    if (!r) this.repos.set(repo, (r = WorkspaceSnapshots.open(repo)));
    try {
      const buf = await r.show(commit, path);
      return buf ? asText(buf) : '';
    } catch (e) {
      this.log.warn(`snapshot ${commit.slice(0, 8)}:${path}: ${errorMessage(e)}`);
      throw e;
    }
  }
}
