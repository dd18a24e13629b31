/** The Runs view: run folders under `clawgym.runsDirectory`, newest first, and their trials. */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { settings } from '../config.js';
import { listRuns, listTrials, type RunInfo, type TrialInfo } from '../model/runs.js';
import { formatScore } from '../model/verification.js';

export type RunTreeNode = { kind: 'run'; run: RunInfo } | { kind: 'trial'; run: RunInfo; trial: TrialInfo };

const STATE_ICON: Record<TrialInfo['state'], vscode.ThemeIcon> = {
  passed: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  error: new vscode.ThemeIcon('warning', new vscode.ThemeColor('testing.iconErrored')),
  running: new vscode.ThemeIcon('sync~spin'),
};

export class RunsView implements vscode.TreeDataProvider<RunTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private watchedDir = '';

  constructor() {
    this.watch();
  }

  /** Results land as appends to results.jsonl; new runs as run.json. Coalesce bursts. */
  private watch(): void {
    const dir = settings().runsDir;
    if (dir === this.watchedDir) return;
    this.watcher?.dispose();
    this.watchedDir = dir;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dir), '*/{run.json,results.jsonl}'));
    const soon = () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.changed.fire(), 250);
    };
    this.watcher.onDidCreate(soon);
    this.watcher.onDidChange(soon);
    this.watcher.onDidDelete(soon);
  }

  refresh(): void {
    this.watch();
    this.changed.fire();
  }

  getChildren(node?: RunTreeNode): RunTreeNode[] {
    if (!node) return listRuns(settings().runsDir).map((run) => ({ kind: 'run', run }));
    if (node.kind === 'run') return listTrials(node.run.dir).map((trial) => ({ kind: 'trial', run: node.run, trial }));
    return [];
  }

  getTreeItem(node: RunTreeNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const r = node.run;
      const item = new vscode.TreeItem(r.runId, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${r.dir}`;
      item.description = `${r.agent} · ${r.passed}/${r.finished} passed${r.finished < r.trialsPlanned ? ` · ${r.trialsPlanned - r.finished} left` : ''}`;
      item.tooltip = `${r.dir}\ncreated ${r.createdAt}\nmean reward ${r.meanReward === null ? '-' : formatScore(r.meanReward)}`;
      item.iconPath = new vscode.ThemeIcon(r.finished < r.trialsPlanned ? 'history' : 'checklist');
      item.contextValue = 'run';
      item.resourceUri = vscode.Uri.file(r.dir);
      return item;
    }
    const t = node.trial;
    const item = new vscode.TreeItem(t.taskId, vscode.TreeItemCollapsibleState.None);
    item.id = `trial:${t.dir}`;
    item.description = t.state === 'running' ? 'running…' : `${formatScore(t.reward ?? 0)}${t.attempt > 1 ? ` · attempt ${t.attempt}` : ''}${t.line?.error ? ' · error' : ''}`;
    item.tooltip = t.line?.error ?? join(t.dir);
    item.iconPath = STATE_ICON[t.state];
    item.contextValue = 'trial';
    item.command = { command: 'clawgym.showVerification', title: 'Show Verification', arguments: [node] };
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }
}
