/**
 * Every task's sound / unsound / untested verdict, recomputed when the tasks or the runs folder
 * change (one event for both), for the Tasks view and the Test Explorer.
 */
import * as vscode from 'vscode';
import { settings } from './config.js';
import { soundnessByKey, type SoundnessVerdict } from './model/soundness.js';
import type { RunsWatcher } from './runs-watcher.js';
import type { TaskIndex } from './task-index.js';

export class SoundnessState implements vscode.Disposable {
  private cache: Map<string, SoundnessVerdict> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly index: TaskIndex,
    runs: RunsWatcher,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const invalidate = () => {
      this.cache = undefined;
      this.changed.fire();
    };
    this.subs = [index.onDidChange(invalidate), runs.onDidChange(invalidate), this.changed];
  }

  /** The verdict of a loaded task (undefined for a broken one). */
  of(key: string): SoundnessVerdict | undefined {
    if (!this.cache) {
      try {
        this.cache = soundnessByKey(settings().runsDir, this.index.entries());
      } catch (e) {
        this.log.warn(`sound states: ${(e as Error).message}`);
        this.cache = new Map();
      }
    }
    return this.cache.get(key);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
