/**
 * Watches the runs folder (`clawgym.runsDirectory`): a run's results.jsonl appearing or growing
 * fires one event a little later, whoever made the run (a terminal, the Test Explorer, the CLI in
 * another window). The views that show results — sound states, the Verification view — follow it.
 */
import * as vscode from 'vscode';
import { settings } from './config.js';

export class RunsWatcher implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly config: vscode.Disposable;

  constructor() {
    this.watch();
    this.config = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('clawgym.runsDirectory')) return;
      this.watch();
      this.changed.fire();
    });
  }

  private watch(): void {
    this.watcher?.dispose();
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(settings().runsDir), '*/results.jsonl'));
    const soon = () => this.fireSoon();
    w.onDidCreate(soon);
    w.onDidChange(soon);
    w.onDidDelete(soon);
    this.watcher = w;
  }

  /** Fire once for a burst of writes (a run appends line by line). */
  fireSoon(ms = 400): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), ms);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    this.config.dispose();
    this.changed.dispose();
  }
}
